import time

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record

from .middleware import SESSION_STARTED_KEY
from .models import User


@receiver(user_logged_in)
def on_signed_in(sender, request: HttpRequest, user, **kwargs) -> None:
    request.session[SESSION_STARTED_KEY] = time.time()
    audit_record(
        actor=user,
        request=request,
        action=Action.SIGN_IN,
        object_type="user",
        object_id=str(user.public_id),
    )


@receiver(user_login_failed)
def on_sign_in_failed(
    sender, credentials: dict, request: HttpRequest | None = None, **kwargs
) -> None:
    # Only a username that names a real account is kept: people sometimes type their password
    # into the username box, and that must never reach the audit trail.
    tried = str(credentials.get("username", ""))[:150]
    account = User.objects.filter(username=tried).first() if tried else None
    audit_record(
        actor=None,
        request=request,
        action=Action.SIGN_IN_FAILED,
        object_type="user",
        object_id=str(account.public_id) if account else "",
        detail={"username": tried} if account else {"username": "", "account_known": False},
    )
