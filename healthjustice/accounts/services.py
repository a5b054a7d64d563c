"""Changes to a person's own account. Each writes an audit event, which never holds a password."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record

from .models import User


def current_password_ok(*, user: User, password: str, request: HttpRequest) -> bool:
    """Is `password` the user's password? Checked as a sign-in attempt would be.

    Going through `authenticate` puts the check behind django-axes: wrong answers count towards
    the same lockout as wrong passwords on the sign-in page, and a locked account is refused
    even with the right password. It must not run inside a transaction that later rolls back,
    or the failure would not be counted.
    """
    if not password:
        return False
    found = authenticate(request, username=user.get_username(), password=password)
    return found is not None and found.pk == user.pk


@transaction.atomic
def password_change(*, actor: User, new_password: str, request: HttpRequest | None = None) -> User:
    """Set the signed-in user's own new password. The caller has checked the current one."""
    user = User.objects.select_for_update().get(pk=actor.pk)
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        request=request,
        action=Action.UPDATE,
        object_type="user",
        object_id=str(user.public_id),
        fields_changed=["password"],
    )
    # The caller's object must carry the new hash, so the session can be kept with it.
    actor.password = user.password
    return user
