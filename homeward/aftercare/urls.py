from django.urls import path

from homeward.aftercare import views
from homeward.aftercare.views import child, own_account

app_name = "aftercare"

urlpatterns = [
    path("", views.work_list, name="work_list"),
    path("interviews/", views.interviews, name="interviews"),
    path("interviews/<int:pk>/", views.interview, name="interview"),
    path("interviews/<int:pk>/provider", views.assign_provider, name="assign"),
    path("interviews/<int:pk>/offer", views.record_offer, name="offer"),
    path("interviews/<int:pk>/outcome", views.record_outcome, name="outcome"),
    path("interviews/<int:pk>/interview", views.record_interview, name="record"),
    path("interviews/<int:pk>/own-account/link", own_account.give_link, name="own_account_link"),
    path(
        "interviews/<int:pk>/own-account/revoke", own_account.revoke_link, name="own_account_revoke"
    ),
    path(
        "interviews/<int:pk>/own-account/withdraw",
        own_account.withdraw_consent,
        name="own_account_withdraw",
    ),
    path("episodes/<str:reference>/check", views.check, name="check"),
    path("episodes/<str:reference>/check/record", views.record_check, name="record_check"),
]

# The child's pages, under /your-account/ (homeward/urls.py): the link, and its one form.
child_urlpatterns = [
    path("", child.account_form, name="form"),
    path("<str:token>", child.open_link, name="open"),
]
