from django.urls import path

from homeward.children import views
from homeward.episodes import views as episode_views

app_name = "children"

urlpatterns = [
    path("", views.find, name="find"),
    path("add", views.add, name="add"),
    path("report-against-match", episode_views.report_against_match, name="report-match"),
    path("emergency-access", views.emergency_access, name="emergency-access"),
    path("emergency-access/reviews", views.emergency_reviews, name="emergency-reviews"),
    path(
        "emergency-access/<int:access_id>/review",
        views.review_emergency_access,
        name="review-emergency-access",
    ),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/responsible-council", views.confirm_council, name="confirm-council"),
    path("<int:pk>/report-missing", episode_views.report_missing, name="report-missing"),
    path("<int:pk>/audit-trail", views.audit_trail, name="audit-trail"),
    path("<int:pk>/audit-trail.csv", views.audit_trail_csv, name="audit-trail-csv"),
]
