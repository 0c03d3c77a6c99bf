"""The type of what Django's test client returns: a response with ``content``, ``json()``,
``templates`` and the rest. django-stubs names it only for type checking (the class does
not exist at run time), so modules annotate with it under ``from __future__ import
annotations``."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as ClientResponse
else:
    from django.http import HttpResponse as ClientResponse

__all__ = ["ClientResponse"]
