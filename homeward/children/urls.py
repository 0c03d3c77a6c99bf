from django.urls import path

from homeward.children import views
from homeward.episodes import views as episode_views

app_name = "children"

urlpatterns = [
    path("", views.find, name="find"),
    path("add", views.add, name="add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/report-missing", episode_views.report_missing, name="report-missing"),
]
