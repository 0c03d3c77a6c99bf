"""The write side (and the audited reads) of profiles, plans and protocols: one module per
noun, each write atomic, with its audit event and domain event (``record_change``)."""
