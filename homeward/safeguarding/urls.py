from __future__ import annotations

from homeward.safeguarding.views import briefing, hotspots, places, plans, profiles, protocols

app_name = "safeguarding"

urlpatterns = (
    profiles.urlpatterns + plans.urlpatterns + protocols.urlpatterns + briefing.urlpatterns
)
urlpatterns += places.urlpatterns + hotspots.urlpatterns
