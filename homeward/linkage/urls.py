from django.urls import path

from homeward.linkage import views

app_name = "linkage"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.review, name="review"),
    path("records/<int:pk>/unlink", views.unlink, name="unlink"),
]
