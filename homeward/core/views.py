from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The database's state and the worker's heartbeat.

    503 if the database cannot be reached. A dead worker does not fail the check: the web
    still takes reports without one (they wait, queued, for the worker), and a load balancer
    that dropped every web node because the worker stopped would stop reporting too. It
    makes ``status`` "degraded" and ``worker.alive`` false, for an operator to alert on;
    ``?require=worker`` turns it into a 503 for monitors that read only the status code."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:  # any failure to reach the database is a health failure
        return JsonResponse(
            {"status": "error", "database": {"vendor": connection.vendor, "reachable": False}},
            status=503,
        )
    worker = _worker_health()
    alive = worker["alive"]
    body = {
        "status": "ok" if alive else "degraded",
        "database": {
            "vendor": connection.vendor,
            "reachable": True,
            "migrations_pending": len(pending),
        },
        "worker": worker,
    }
    required = request.GET.get("require") == "worker"
    return JsonResponse(body, status=503 if required and not alive else 200)


def _worker_health() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    from homeward.notifications import heartbeat

    try:
        state = heartbeat.state()
        waiting = DBTaskResult.objects.ready().count()
    except Exception:  # e.g. migrations not yet applied: no heartbeat to read
        return {"alive": False, "last_seen": None, "workers": 0, "tasks_waiting": None}
    return {
        "alive": state.alive,
        "last_seen": state.last_seen.isoformat() if state.last_seen else None,
        "workers": state.workers,
        "tasks_waiting": waiting,  # due now and not yet started
    }


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    return render(request, template, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:  # noqa: ARG001
    return _error(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:  # noqa: ARG001
    return _error(request, "errors/403.html", 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:  # noqa: ARG001
    """A form sent without its CSRF token (an old page, another tab signed out): say so
    plainly, and that nothing was saved."""
    return _error(request, "errors/csrf.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:  # noqa: ARG001
    return _error(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:  # noqa: ARG001
    # No request context: the page must draw even when the database is unreachable.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))


# --- what every web page's view shares ----------------------------------------------------


def actor_of(request: HttpRequest) -> Actor:
    """The signed-in user, in their active membership, acting through the web UI."""
    return Actor.for_user(request.user)  # type: ignore[arg-type]


def web_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; a service's NotFound is the 404 page and its AccessDenied the 403
    page, so neither tells anyone whether a child exists."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404("Not found") from None
        except AccessDenied:
            raise PermissionDenied from None

    return login_required(wrapped)


@csrf_exempt
def api_not_found(request: HttpRequest) -> HttpResponse:
    from homeward.core.api import problem

    return problem(request, 404, "There is no API endpoint at this address.")
