from __future__ import annotations

from homeward.safeguarding.views import (
    briefing,
    hotspots,
    meetings,
    notices,
    peers,
    persons,
    places,
    plans,
    profiles,
    protocols,
)

app_name = "safeguarding"

urlpatterns = (
    profiles.urlpatterns
    + plans.urlpatterns
    + protocols.urlpatterns
    + briefing.urlpatterns
    + meetings.urlpatterns
    + peers.urlpatterns
)
urlpatterns += persons.urlpatterns + notices.urlpatterns
urlpatterns += places.urlpatterns + hotspots.urlpatterns
