from django.urls import path

from homeward.organisations import views

app_name = "organisations"

urlpatterns = [
    path("sign-in", views.SignInView.as_view(), name="sign-in"),
    path("sign-out", views.SignOutView.as_view(), name="sign-out"),
    # Two-factor: the code after the password, and setting up an authenticator app.
    path("sign-in/code", views.mfa_verify, name="mfa-verify"),
    path("account/two-factor/set-up", views.mfa_setup, name="mfa-setup"),
    # The signed-in user's own account.
    path("account/", views.account, name="account"),
    path("account/password", views.ChangePasswordView.as_view(), name="change-password"),
    path("account/tokens", views.my_tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke", views.revoke_my_token, name="revoke-token"),
    # A new user's one-time link to choose their password.
    path("set-password/<uidb64>/<token>", views.SetPasswordView.as_view(), name="set-password"),
    # An organisation administrator's pages, for their own organisation's users.
    path("organisation/users/", views.org_users, name="users"),
    path("organisation/users/add", views.org_user_add, name="user-add"),
    path("organisation/users/<int:user_id>/", views.org_user, name="user"),
    path(
        "organisation/users/<int:user_id>/tokens/<int:token_id>/revoke",
        views.org_user_revoke_token,
        name="user-revoke-token",
    ),
]
