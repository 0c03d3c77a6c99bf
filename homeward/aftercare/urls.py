from django.urls import path

from homeward.aftercare import views

app_name = "aftercare"

urlpatterns = [
    path("", views.work_list, name="work_list"),
    path("interviews/", views.interviews, name="interviews"),
    path("interviews/<int:pk>/", views.interview, name="interview"),
    path("interviews/<int:pk>/provider", views.assign_provider, name="assign"),
    path("interviews/<int:pk>/offer", views.record_offer, name="offer"),
    path("interviews/<int:pk>/outcome", views.record_outcome, name="outcome"),
    path("interviews/<int:pk>/interview", views.record_interview, name="record"),
    path("episodes/<str:reference>/check", views.check, name="check"),
    path("episodes/<str:reference>/check/record", views.record_check, name="record_check"),
]
