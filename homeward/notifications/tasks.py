"""Background tasks (Django's Tasks API, database backend). Each is idempotent."""

from django_tasks import TaskContext, task

from homeward.notifications import clocks, delivery, emails


@task()
def deliver_event(event_id: int) -> int:
    return delivery.deliver(event_id)


@task()
def fire_clock(clock_id: int) -> str:
    return clocks.fire(clock_id)


@task(takes_context=True)
def send_email(context: TaskContext, delivery_id: int) -> str:
    # The task knows its own id, so a stray second task for one email never sends it.
    return emails.send(delivery_id, task_id=str(context.task_result.id))
