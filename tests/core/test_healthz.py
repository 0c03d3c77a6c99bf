from datetime import timedelta

from django.test import Client
from pytest_django import Settings

from homeward.children.models import Child
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.notifications import heartbeat
from homeward.notifications.models import WorkerHeartbeat


def test_healthz_reports_the_database(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["reachable"] is True
    assert body["database"]["migrations_pending"] == 0
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )


def test_healthz_says_the_worker_is_alive_while_it_beats(client: Client, db: None) -> None:
    heartbeat.start("w1")
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker"]["alive"] is True
    assert body["worker"]["workers"] == 1
    seen = WorkerHeartbeat.objects.get(worker_id="w1").last_seen
    assert body["worker"]["last_seen"] == seen.isoformat()


def test_a_dead_worker_is_reported_but_the_web_stays_in_service(
    client: Client, db: None, settings: Settings
) -> None:
    body = client.get("/healthz").json()  # never started
    assert body["status"] == "degraded"
    assert body["worker"] == {"alive": False, "last_seen": None, "workers": 0, "tasks_waiting": 0}

    heartbeat.start("w1")
    long_ago = clock.now() - timedelta(seconds=settings.HOMEWARD_WORKER_STALE_SECONDS + 1)
    WorkerHeartbeat.objects.update(last_seen=long_ago)  # it stopped beating: killed or hung
    response = client.get("/healthz")
    assert response.status_code == 200  # a load balancer keeps sending reports here
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"]["alive"] is False
    assert response.json()["worker"]["last_seen"] == long_ago.isoformat()

    heartbeat.start("w2")
    heartbeat.stop("w2")  # stopped cleanly
    assert client.get("/healthz").json()["worker"]["alive"] is False


def test_require_worker_makes_a_dead_worker_a_503_for_status_code_monitors(
    client: Client, db: None
) -> None:
    assert client.get("/healthz?require=worker").status_code == 503
    heartbeat.start("w1")
    assert client.get("/healthz?require=worker").status_code == 200


def test_healthz_counts_tasks_waiting_for_a_worker(
    client: Client, social_worker: Actor, child: Child
) -> None:
    from tests.factories import report

    report(social_worker, child)  # its delivery is queued, with no worker to run it
    assert client.get("/healthz").json()["worker"]["tasks_waiting"] == 1
