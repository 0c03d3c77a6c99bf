"""The web forms of profiles, plans, protocols, the briefing sheet and appeals."""
