"""API shapes of profiles, plans and protocols: one module per noun."""
