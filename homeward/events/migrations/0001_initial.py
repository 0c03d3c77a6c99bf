# The outbox moves from notifications to events: its table stays where it is (state only).

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("notifications", "0003_worker_heartbeat_and_task_pointers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DomainEvent",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(db_index=True, max_length=60)),
                        ("occurred_at", models.DateTimeField()),
                        ("aggregate_type", models.CharField(max_length=40)),
                        ("aggregate_id", models.CharField(max_length=40)),
                        ("child_id", models.BigIntegerField(blank=True, null=True)),
                        ("payload", models.JSONField(blank=True, default=dict)),
                        ("delivered_at", models.DateTimeField(blank=True, db_index=True, null=True)),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("task_id", models.UUIDField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "notifications_domainevent",
                        "ordering": ["occurred_at", "pk"],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
