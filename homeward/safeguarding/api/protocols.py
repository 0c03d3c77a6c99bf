"""API: protocols."""

from ninja import Router

router = Router()
