"""Signing in and out, with Django's auth views drawn in GOV.UK style; two-factor codes,
the account pages (password, API tokens) and an organisation administrator's pages for
their own organisation's users."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import verify_token

from homeward.audit import services as audit
from homeward.core.errors import ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view
from homeward.organisations import lockout, mfa, services
from homeward.organisations.forms import (
    AddUserForm,
    ChangeRoleForm,
    CodeForm,
    GovukPasswordChangeForm,
    GovukSetPasswordForm,
    SignInForm,
)
from homeward.organisations.models import User


class SignInView(auth_views.LoginView):
    template_name = "organisations/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        """The password was right: on to the code (or to set up an app) where one is owed,
        otherwise signed in."""
        user = form.get_user()
        auth_login(self.request, user)
        next_url = self.get_redirect_url()
        if mfa.confirmed_device(user) is not None:
            self.request.session[mfa.CODE_OWED_SESSION_KEY] = True
        if mfa.needs_code(self.request):
            return HttpResponseRedirect(mfa.next_step_url(self.request, next_url))
        _signed_in(self.request, user, two_factor=False)
        return HttpResponseRedirect(next_url or self.get_default_redirect_url())

    def form_invalid(self, form: Any) -> HttpResponse:
        codes = {error.code for error in form.errors.as_data().get("username", [])}
        if "invalid_login" in codes:
            # Django tried the password (or django-axes refused to, the account being locked).
            locked = bool(getattr(self.request, "axes_locked_out", False))
            counted = getattr(self.request, "axes_failures_since_start", None) is not None
            lockout.audit_sign_in_failed(
                self.request,
                str(self.request.POST.get("username", "")),
                "locked_out" if locked and not counted else "wrong_password",
                locked=locked,
            )
        return super().form_invalid(form)


class SignOutView(auth_views.LogoutView):
    """POST only (Django's rule): a link cannot sign anyone out."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, "You have signed out")
        return response


def _signed_in(request: HttpRequest, user: User, *, two_factor: bool) -> None:
    """The whole sign-in has succeeded: failures so far are forgotten, and it is audited."""
    request.session.pop(mfa.CODE_OWED_SESSION_KEY, None)
    lockout.signed_in(request, user)
    audit.record(
        lockout.actor_for(user), "sign_in", "user", user.pk, details={"two_factor": two_factor}
    )


def _next_or_home(request: HttpRequest) -> str:
    return mfa.safe_next(request, request.POST.get("next") or request.GET.get("next")) or reverse(
        settings.LOGIN_REDIRECT_URL
    )


# --- two-factor ---------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the code from the user's authenticator app."""
    user: User = request.user  # type: ignore[assignment]
    if mfa.is_verified(request):
        return redirect(_next_or_home(request))
    device = mfa.confirmed_device(user)
    if device is None:
        return redirect(mfa.next_step_url(request, mfa.safe_next(request, request.GET.get("next"))))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", TOO_SOON)
            return _code_page(request, form)
        verified = verify_token(user, device.persistent_id, form.cleaned_data["code"])
        if verified is not None:
            request.session.cycle_key()
            otp_login(request, verified)
            _signed_in(request, user, two_factor=True)
            return redirect(_next_or_home(request))
        locked = lockout.count_failure(request, user.get_username())
        lockout.audit_sign_in_failed(request, user.get_username(), "wrong_code", locked=locked)
        if locked:
            # The lockout page replaces this response (django-axes' middleware).
            auth_logout(request)
            return HttpResponse(status=lockout.LOCKED_STATUS)
        form.add_error("code", "The code is not right: enter the code your app shows now")
    return _code_page(request, form)


# django-otp makes each wrong code wait longer before the next is tried (1 s, 2 s, 4 s...).
TOO_SOON = "You entered a wrong code a moment ago: wait 30 seconds, then enter the code shown now"


def _code_page(request: HttpRequest, form: CodeForm) -> HttpResponse:
    return render(
        request,
        "organisations/mfa_verify.html",
        {
            "form": form,
            "next": mfa.safe_next(request, request.GET.get("next") or request.POST.get("next")),
        },
    )


@never_cache
@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: its secret (as text and a QR code), then a code from it
    to show it works. Never while a confirmed app exists: that would get round the code."""
    user: User = request.user  # type: ignore[assignment]
    next_url = mfa.safe_next(request, request.GET.get("next") or request.POST.get("next"))
    if mfa.confirmed_device(user) is not None:
        if mfa.is_verified(request):
            messages.info(request, "Two-factor authentication is already set up")
            return redirect("organisations:account")
        return redirect(mfa.with_next(reverse("organisations:mfa-verify"), next_url))
    device = mfa.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not device.verify_is_allowed()[0]:
        form.add_error("code", TOO_SOON)
    elif request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            completing_sign_in = mfa.needs_code(request)
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            type(device).objects.filter(user=user, confirmed=False).delete()
            request.session.cycle_key()
            otp_login(request, device)
            audit.record(actor_of(request), "mfa_set_up", "user", user.pk)
            if completing_sign_in:
                _signed_in(request, user, two_factor=True)
            request.session.pop(mfa.CODE_OWED_SESSION_KEY, None)
            messages.success(request, "Two-factor authentication is set up")
            return redirect(next_url or reverse(settings.LOGIN_REDIRECT_URL))
        form.add_error(
            "code", "The code is not right: check the secret and enter the code your app shows now"
        )
    return render(
        request,
        "organisations/mfa_setup.html",
        {
            "form": form,
            "next": next_url,
            "secret": mfa.secret_text(device),
            "qr_code": mfa.qr_data_uri(device),
        },
    )


# --- the signed-in user's own account -----------------------------------------------------


@web_view
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request,
        "organisations/account.html",
        {
            "has_mfa": services.has_mfa(user),
            "mfa_required": mfa.mfa_required(),
            "token_count": services.tokens_of(user).filter(revoked_at__isnull=True).count(),
        },
    )


class ChangePasswordView(auth_views.PasswordChangeView):
    template_name = "organisations/change_password.html"
    form_class = GovukPasswordChangeForm
    success_url = reverse_lazy("organisations:account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)  # keeps this session; ends the user's others
        audit.record(actor_of(self.request), "change_password", "user", form.user.pk)
        messages.success(self.request, "Your password has been changed")
        return response


@web_view
@require_http_methods(["GET"])
def my_tokens(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    return render(
        request, "organisations/tokens.html", {"tokens": services.tokens_of(user), "now": _now()}
    )


@web_view
@require_POST
def revoke_my_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = services.revoke_token(actor_of(request), token_id)
    messages.success(request, f"API token {token.prefix}… has been revoked")
    return redirect("organisations:tokens")


def _now() -> Any:
    from homeward.core import clock

    return clock.now()


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The one-time link an administrator passes to a new user: they choose a password."""

    template_name = "organisations/set_password.html"
    form_class = GovukSetPasswordForm
    post_reset_login = False
    success_url = reverse_lazy("organisations:sign-in")
    reset_url_token = "choose"  # noqa: S105 - a placeholder in the URL, not a secret

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(lockout.actor_for(form.user), "set_password", "user", form.user.pk)
        messages.success(self.request, "Your password has been set: sign in with it now")
        return response


# --- an organisation administrator's pages ------------------------------------------------


@web_view
@require_http_methods(["GET"])
def org_users(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    members = services.list_members(actor)
    return render(
        request,
        "organisations/users.html",
        {"members": members, "organisation": actor.organisation},
    )


@web_view
@require_http_methods(["GET", "POST"])
def org_user_add(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    members = services.list_members(actor)  # checks the role
    del members
    assert actor.organisation is not None
    roles = services.roles_for(actor.organisation)
    form = AddUserForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, path = services.add_user(
                actor,
                services.NewUser(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    username=data["username"],
                    role=data["role"],
                ),
            )
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            return render(
                request,
                "organisations/user_added.html",
                {"new_user": user, "link": request.build_absolute_uri(path)},
            )
    return render(request, "organisations/user_add.html", {"form": form})


@web_view
@require_http_methods(["GET", "POST"])
def org_user(request: HttpRequest, user_id: int) -> HttpResponse:
    actor = actor_of(request)
    membership = services.get_member(actor, user_id)
    assert actor.organisation is not None
    roles = services.roles_for(actor.organisation)
    form = ChangeRoleForm(request.POST or None, roles=roles, initial={"role": membership.role})
    page_error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "role":
                if form.is_valid():
                    services.change_role(actor, user_id, form.cleaned_data["role"])
                    messages.success(request, "Their role has been changed")
                    return redirect("organisations:user", user_id=user_id)
            elif action == "deactivate":
                services.deactivate_user(actor, user_id)
                messages.success(
                    request, "Their account has been switched off and their API tokens revoked"
                )
                return redirect("organisations:user", user_id=user_id)
            elif action == "password-link":
                member, path = services.new_password_link(actor, user_id)
                return render(
                    request,
                    "organisations/password_link.html",
                    {"member": member.user, "link": request.build_absolute_uri(path)},
                )
            elif action == "reset-mfa":
                services.reset_mfa(actor, user_id)
                messages.success(
                    request,
                    "Two-factor authentication has been reset: they will set it up again "
                    "when they next sign in",
                )
                return redirect("organisations:user", user_id=user_id)
            else:
                raise Http404("Not found")
        except ValidationFailed as exc:
            if "role" in exc.errors and action == "role":
                add_service_errors(form, {"role": exc.errors["role"]})
            else:
                page_error = exc.message
    return render(
        request,
        "organisations/user.html",
        {
            "membership": membership,
            "member": membership.user,
            "form": form,
            "page_error": page_error,
            "page_errors": bool(page_error),
            "has_mfa": services.has_mfa(membership.user),
            "tokens": services.member_tokens(actor, user_id),
            "is_self": membership.user_id == request.user.pk,
            "now": _now(),
        },
    )


@web_view
@require_POST
def org_user_revoke_token(request: HttpRequest, user_id: int, token_id: int) -> HttpResponse:
    actor = actor_of(request)
    if not services.member_tokens(actor, user_id).filter(pk=token_id).exists():
        raise Http404("Not found")
    token = services.revoke_token(actor, token_id)
    messages.success(request, f"API token {token.prefix}… has been revoked")
    return redirect("organisations:user", user_id=user_id)
