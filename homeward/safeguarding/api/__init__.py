"""The API of profiles, plans and protocols: one router per noun, under /api/v1."""

from ninja import Router

from homeward.safeguarding.api import (
    briefing,
    meeting_actions,
    meetings,
    notices,
    peers,
    persons,
    places,
    plans,
    profiles,
    protocols,
    reviews,
)

router = Router()
router.add_router("", profiles.router)
router.add_router("", plans.router)
router.add_router("", reviews.router)
router.add_router("", protocols.router)
router.add_router("", briefing.router)
router.add_router("", meetings.router)
router.add_router("", meeting_actions.router)
router.add_router("", persons.router)
router.add_router("", notices.router)
router.add_router("", places.router)
router.add_router("", peers.router)
