"""Pages of profiles, plans and protocols; ``panels`` draws their parts of the child's,
the report's and the episode's pages."""
