from django.urls import path

from homeward.episodes import views

app_name = "episodes"

urlpatterns = [
    path("<str:reference>/", views.detail, name="detail"),
    path("<str:reference>/details", views.update, name="update"),
    path("<str:reference>/risk", views.regrade, name="regrade"),
    path("<str:reference>/classification", views.classify, name="classification"),
    path("<str:reference>/timeline", views.add_timeline, name="timeline"),
    path("<str:reference>/return", views.record_return, name="return"),
    path("<str:reference>/close", views.close, name="close"),
    path("<str:reference>/link", views.link, name="link"),
]
