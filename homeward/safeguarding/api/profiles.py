"""API: profiles."""

from ninja import Router

router = Router()
