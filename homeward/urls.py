from django.urls import include, path, re_path

from homeward.aftercare.urls import child_urlpatterns as own_account_urlpatterns
from homeward.api import api
from homeward.core import views as core_views
from homeward.episodes import views as episode_views

urlpatterns = [
    path("", episode_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("", include("homeward.organisations.urls")),
    # Profiles, plans and protocols: under children/, episodes/ and their own paths.
    path("", include("homeward.safeguarding.urls")),
    path("children/", include("homeward.children.urls")),
    path("possible-duplicates/", include("homeward.linkage.urls")),
    path("episodes/", include("homeward.episodes.urls")),
    path("aftercare/", include("homeward.aftercare.urls")),
    path("notifications/", include("homeward.notifications.urls")),
    path("insights/", include("homeward.insights.urls")),
    path("themes/", include("homeward.themes.urls")),
    path("case-audits/", include("homeward.case_audits.urls")),
    path("api/", api.urls),
    # The child's own account: a private link and its one form, no sign-in (aftercare).
    path("your-account/", include((own_account_urlpatterns, "own_account"))),
    # Anything else under /api/ answers as the API does: a problem document, not a page.
    re_path(r"^api/", core_views.api_not_found),
]

handler400 = "homeward.core.views.bad_request"
handler403 = "homeward.core.views.permission_denied"
handler404 = "homeward.core.views.page_not_found"
handler500 = "homeward.core.views.server_error"
