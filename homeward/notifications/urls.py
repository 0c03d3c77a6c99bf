from django.urls import path

from homeward.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/open", views.open_notification, name="open"),
    path("<int:pk>/read", views.mark_read, name="read"),
    path("episodes/<str:reference>/", views.who_knew, name="who-knew"),
    path("rules", views.council_rules, name="rules"),
]
