from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from healthjustice.audit.models import Action
from healthjustice.audit.services import audit_record
from healthjustice.core.form_errors import apply_errors

from . import services
from .forms import PasswordChangeForm, SignInForm
from .models import User
from .requests import AuthenticatedRequest


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    extra_context = {"title": "Sign in"}


class SignOutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated:
            audit_record(
                actor=request.user,
                request=request,
                action=Action.SIGN_OUT,
                object_type="user",
                object_id=str(request.user.public_id),
            )
        return super().post(request, *args, **kwargs)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change(request: AuthenticatedRequest) -> HttpResponse:
    """Anyone signed in changes their own password, and stays signed in."""
    form = PasswordChangeForm(
        request.user, request.POST if request.method == "POST" else None, request=request
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(
                actor=request.user,
                new_password=form.cleaned_data["new_password1"],
                request=request,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, "Your password has been changed.")
            return redirect("web:home")
    # Carers see the page in the portal's layout, never the staff navigation.
    template = (
        "accounts/password_change_portal.html"
        if request.user.kind == User.Kind.CARER
        else "accounts/password_change.html"
    )
    return render(request, template, {"title": "Change your password", "form": form})
