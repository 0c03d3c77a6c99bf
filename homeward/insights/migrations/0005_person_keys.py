"""Facts count persons (``Child.person``), not child records: ``person_key`` becomes the
record's person, and the council-scope first-in-period flags and counts are added. Before
linkage every person is one record, with one responsible council, so the council flags
are the overall flags and the running totals stay as they are."""

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def to_persons(apps, schema_editor):
    Child = apps.get_model("children", "Child")
    person = Subquery(Child.objects.filter(pk=OuterRef("person_key")).values("person_id")[:1])
    for name in ("EpisodeFact", "ReasonFact"):
        model = apps.get_model("insights", name)
        model.objects.update(person_key=Coalesce(person, F("person_key")))
    apps.get_model("insights", "EpisodeFact").objects.update(
        first_m_council=F("first_m"),
        first_q_council=F("first_q"),
        first_y_council=F("first_y"),
        n_q_council=F("n_q"),
        n_y_council=F("n_y"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0004_linked_by_area"),
        ("children", "0005_person"),
    ]

    operations = [
        migrations.AddField(
            model_name="episodefact",
            name="first_m_council",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="episodefact",
            name="first_q_council",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="episodefact",
            name="first_y_council",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="episodefact",
            name="n_q_council",
            field=models.SmallIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="episodefact",
            name="n_y_council",
            field=models.SmallIntegerField(default=1),
        ),
        migrations.RunPython(to_persons, migrations.RunPython.noop),
    ]
