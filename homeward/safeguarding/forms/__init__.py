"""The web forms of profiles, plans and protocols: one module per noun."""
