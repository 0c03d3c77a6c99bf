"""Every child record resolves to a person: one of its own to begin with."""

import django.db.models.deletion
from django.db import migrations, models


def own_persons(apps, schema_editor):
    Child = apps.get_model("children", "Child")
    Person = apps.get_model("children", "Person")
    ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 5000):
        batch = ids[start : start + 5000]
        persons = Person.objects.bulk_create([Person() for _ in batch])
        rows = [Child(pk=pk, person_id=p.pk, own_person_id=p.pk) for pk, p in zip(batch, persons)]
        Child.objects.bulk_update(rows, ["person", "own_person"])


class Migration(migrations.Migration):
    dependencies = [("children", "0004_child_added_by_and_provisional_council")]

    operations = [
        migrations.CreateModel(
            name="Person",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
        migrations.AddField(
            model_name="child",
            name="person",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="children.person",
            ),
        ),
        migrations.AddField(
            model_name="child",
            name="own_person",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="children.person",
            ),
        ),
        migrations.RunPython(own_persons, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="child",
            name="person",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="records",
                to="children.person",
            ),
        ),
        migrations.AlterField(
            model_name="child",
            name="own_person",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.PROTECT, related_name="+", to="children.person"
            ),
        ),
    ]
