"""The sign-in form, with the design system's error messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm


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
