"""Plumbing shared by every app: the actor, service errors, time, middleware."""
