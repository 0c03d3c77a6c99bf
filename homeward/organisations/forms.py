"""The sign-in form, with the design system's error messages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm

from homeward.core.forms import GovukForm, RadiosField
from homeward.organisations.models import User


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account has been switched off: speak to your administrator",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        username, password = self.fields["username"], self.fields["password"]
        username.label = "Username"
        username.error_messages["required"] = "Enter your username"
        username.widget.attrs = {
            "autocomplete": "username",
            "spellcheck": "false",
            "autocapitalize": "none",
        }
        password.label = "Password"
        password.error_messages["required"] = "Enter your password"
        password.widget.attrs = {"autocomplete": "current-password"}

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except forms.ValidationError as error:
            # The summary links to the username box: the design system's pattern.
            self.add_error("username", error)
            return self.cleaned_data


# --- two-factor, passwords, and an organisation's users (added with the accounts work) ---

CODE_LENGTH = 6


class CodeForm(GovukForm):
    """The 6-digit code from an authenticator app. Spaces and dashes are forgiven."""

    code = forms.CharField(label="Code from your authenticator app", max_length=20)
    required_messages = {"code": "Enter the 6-digit code from your authenticator app"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].error_messages["max_length"] = "The code must be 6 digits"
        self.fields["code"].widget.attrs = {
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "spellcheck": "false",
        }

    def clean_code(self) -> str:
        code = "".join(ch for ch in self.cleaned_data["code"] if ch not in " -")
        if not code.isdigit() or len(code) != CODE_LENGTH:
            raise forms.ValidationError("The code must be 6 digits")
        return code


def _govuk_password_fields(form: forms.Form) -> None:
    """Labels, hints and messages for Django's password forms, the design system's way."""
    labels = {
        "old_password": ("Current password", "Enter your current password", "current-password"),
        "new_password1": ("New password", "Enter a new password", "new-password"),
        "new_password2": ("Confirm new password", "Confirm your new password", "new-password"),
    }
    for name, (label, required, autocomplete) in labels.items():
        field = form.fields.get(name)
        if field is None:
            continue
        field.label = label
        field.help_text = ""
        field.error_messages["required"] = required
        field.widget.attrs = {"autocomplete": autocomplete}
    if "new_password1" in form.fields:
        form.fields["new_password1"].help_text = (
            "At least 12 characters. A few unrelated words strung together make a good "
            "password. Do not use one you use anywhere else."
        )


if TYPE_CHECKING:  # generic in django-stubs only
    _SetPasswordForm = auth_forms.SetPasswordForm[User]
else:
    _SetPasswordForm = auth_forms.SetPasswordForm


class GovukSetPasswordForm(_SetPasswordForm):
    error_messages = {"password_mismatch": "The passwords do not match"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _govuk_password_fields(self)


class GovukPasswordChangeForm(auth_forms.PasswordChangeForm):
    error_messages = {
        "password_mismatch": "The passwords do not match",
        "password_incorrect": "Your current password is not right: enter it again",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        _govuk_password_fields(self)


class AddUserForm(GovukForm):
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    email = forms.CharField(label="Email address", max_length=254)
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="What they will sign in with: letters, numbers, and . @ + - or _",
    )
    role = RadiosField(label="Role")
    required_messages = {
        "first_name": "Enter their first name",
        "last_name": "Enter their last name",
        "email": "Enter their email address",
        "username": "Enter a username",
        "role": "Select a role",
    }

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        self.fields["email"].widget.attrs = {"autocomplete": "off", "spellcheck": "false"}
        self.fields["username"].widget.attrs = {
            "autocomplete": "off",
            "spellcheck": "false",
            "autocapitalize": "none",
        }
        for name in ("first_name", "last_name"):
            self.fields[name].widget.attrs = {"autocomplete": "off"}


class ChangeRoleForm(GovukForm):
    role = RadiosField(label="Role")
    required_messages = {"role": "Select a role"}

    def __init__(self, *args: Any, roles: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
