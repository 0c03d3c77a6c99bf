# The outbox now belongs to the events app; its table and rows stay where they are.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_initial"),
        ("notifications", "0003_worker_heartbeat_and_task_pointers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="event",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="notifications",
                        to="events.domainevent",
                    ),
                ),
                migrations.DeleteModel(name="DomainEvent"),
            ],
            database_operations=[],
        ),
    ]
