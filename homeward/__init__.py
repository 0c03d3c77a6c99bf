"""Homeward: one live, shared record of every episode of a child going missing."""
