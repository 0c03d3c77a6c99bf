"""API: briefing."""

from ninja import Router

router = Router()
