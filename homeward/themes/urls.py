from django.urls import path

from homeward.themes import views

app_name = "themes"

urlpatterns = [
    path("", views.index, name="index"),
    path("over-time", views.over_time, name="over-time"),
    path("run", views.run, name="run"),
    path("link", views.link, name="link"),
    path("<int:pk>/", views.theme, name="theme"),
    path("<int:pk>/name", views.name, name="name"),
    path("<int:pk>/merge", views.merge, name="merge"),
    path("<int:pk>/items/<int:item>", views.correct, name="correct"),
]
