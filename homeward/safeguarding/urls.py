from __future__ import annotations

from homeward.safeguarding.views import briefing, peers, plans, profiles, protocols

app_name = "safeguarding"

urlpatterns = (
    profiles.urlpatterns
    + plans.urlpatterns
    + protocols.urlpatterns
    + briefing.urlpatterns
    + peers.urlpatterns
)
