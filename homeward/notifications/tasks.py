"""Background tasks (Django's Tasks API, database backend). Each is idempotent."""

from django_tasks import task

from homeward.notifications import dispatch


@task()
def deliver_event(event_id: int) -> int:
    return dispatch.deliver(event_id)


@task()
def fire_clock(clock_id: int) -> str:
    return dispatch.fire(clock_id)


@task()
def send_email(delivery_id: int) -> str:
    return dispatch.send(delivery_id)
