from django.urls import path

from homeward.organisations import views

app_name = "organisations"

urlpatterns = [
    path("sign-in", views.SignInView.as_view(), name="sign-in"),
    path("sign-out", views.SignOutView.as_view(), name="sign-out"),
]
