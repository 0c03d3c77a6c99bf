"""Typed domain events: what happened, emitted once per change, handled in the change's
transaction and delivered from the outbox after it commits."""
