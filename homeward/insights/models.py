"""The statistics layer: derived rows kept up to date as records change (see facts.py).

No names, dates of birth, addresses or free text are kept here: only codes, dates of
episodes, and ``person_key`` (the child's person: ``Child.person``, the same for every
record linked as one child; never shown) to count children once."""

from __future__ import annotations

from django.db import models

from homeward.organisations.models import Organisation


class EpisodeFact(models.Model):
    """One row per episode with its derived dimensions (counting.py's rules)."""

    episode_id = models.BigIntegerField(primary_key=True)
    person_key = models.BigIntegerField()
    incident_key = models.BigIntegerField()

    council = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    host_council = models.ForeignKey(
        Organisation, null=True, on_delete=models.CASCADE, related_name="+"
    )
    force = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    # The force covering the child's responsible council: a force's "own" children.
    home_force = models.ForeignKey(
        Organisation, null=True, on_delete=models.CASCADE, related_name="+"
    )

    start_at = models.DateTimeField()
    start_date = models.DateField()
    start_month = models.DateField()
    year = models.SmallIntegerField()
    quarter = models.SmallIntegerField()
    returned_at = models.DateTimeField(null=True)

    age = models.SmallIntegerField()
    age_band = models.CharField(max_length=5)
    sex = models.CharField(max_length=1)
    ethnicity = models.CharField(max_length=4)
    legal_status = models.CharField(max_length=20)
    placement_type = models.CharField(max_length=4)
    out_of_area = models.BooleanField()
    risk_grade = models.CharField(max_length=10)
    classification_start = models.CharField(max_length=1)
    classification = models.CharField(max_length=1)
    duration_hours = models.FloatField(null=True)
    duration_band = models.CharField(max_length=6)

    check_status = models.CharField(max_length=12, blank=True)
    interview_status = models.CharField(max_length=12)
    interview_offered = models.BooleanField(default=False)
    interview_within_72h = models.BooleanField(null=True)

    rolling_repeat = models.BooleanField(default=False)
    # Linked with another child's episode (they went missing together): counted once as an
    # incident by incident_key.
    linked = models.BooleanField(default=False)
    # The person's first episode in the month / quarter / year, over all areas (the nation),
    # within this episode's force area, and within this episode's council (a person's
    # linked records can have different responsible councils).
    first_m = models.BooleanField(default=False)
    first_q = models.BooleanField(default=False)
    first_y = models.BooleanField(default=False)
    first_m_force = models.BooleanField(default=False)
    first_q_force = models.BooleanField(default=False)
    first_y_force = models.BooleanField(default=False)
    first_m_council = models.BooleanField(default=False)
    first_q_council = models.BooleanField(default=False)
    first_y_council = models.BooleanField(default=False)
    # How many episodes the person had in this quarter / year (overall, in this force, in
    # this council).
    n_q = models.SmallIntegerField(default=1)
    n_y = models.SmallIntegerField(default=1)
    n_q_force = models.SmallIntegerField(default=1)
    n_y_force = models.SmallIntegerField(default=1)
    n_q_council = models.SmallIntegerField(default=1)
    n_y_council = models.SmallIntegerField(default=1)
    worker_changes_q = models.SmallIntegerField(default=0)
    worker_changes_y = models.SmallIntegerField(default=0)

    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["council", "start_date"], name="fact_council_start"),
            models.Index(fields=["force", "start_date"], name="fact_force_start"),
            models.Index(fields=["start_date"], name="fact_start"),
            models.Index(fields=["council", "returned_at"], name="fact_council_return"),
            models.Index(fields=["force", "returned_at"], name="fact_force_return"),
            models.Index(fields=["returned_at"], name="fact_return"),
            models.Index(fields=["person_key"], name="fact_person"),
            models.Index(fields=["incident_key"], name="fact_incident"),
            # Incidents of linked episodes are counted from the facts: these stay small.
            models.Index(
                fields=["start_date"], name="fact_linked_start", condition=models.Q(linked=True)
            ),
            models.Index(
                fields=["council", "start_date"],
                name="fact_linked_council",
                condition=models.Q(linked=True),
            ),
            models.Index(
                fields=["force", "start_date"],
                name="fact_linked_force",
                condition=models.Q(linked=True),
            ),
        ]


class ReasonKind(models.TextChoices):
    PUSH = "push", "Push factor"
    PULL = "pull", "Pull factor"
    RISK = "risk", "Risk found"


class ReasonFact(models.Model):
    """One row per reason coded in a done return interview. The interview belongs to the
    period, council and force of the first episode it covers."""

    interview_id = models.BigIntegerField()
    person_key = models.BigIntegerField()
    kind = models.CharField(max_length=4, choices=ReasonKind.choices)
    code = models.CharField(max_length=40)
    council = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    force = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    start_date = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["council", "start_date"], name="reason_council_start"),
            models.Index(fields=["force", "start_date"], name="reason_force_start"),
            models.Index(fields=["start_date"], name="reason_start"),
            models.Index(fields=["interview_id"], name="reason_interview"),
            models.Index(fields=["person_key"], name="reason_person"),
        ]


class TallyFields(models.Model):
    """Totals of facts by scope, area, month and group: see tally.py."""

    scope = models.CharField(max_length=1)  # c council, f force, n nation
    area = models.BigIntegerField()  # the organisation's id; 0 for the nation
    month = models.DateField()
    dimension = models.CharField(max_length=20)
    value = models.CharField(max_length=60)
    episodes = models.IntegerField(default=0)
    children_m = models.IntegerField(default=0)
    children_q = models.IntegerField(default=0)
    children_y = models.IntegerField(default=0)
    seconds = models.BigIntegerField(default=0)

    class Meta:
        abstract = True


class Tally(TallyFields):
    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "area", "month", "dimension", "value"], name="tally_key"
            )
        ]
        # Every council's (or force's) totals of some groups for a period: national tables.
        indexes = [models.Index(fields=["scope", "dimension", "month"], name="tally_group")]


class TallyChange(TallyFields):
    """Changes to the totals not yet folded into Tally (insert only; tally.fold)."""

    class Meta:
        indexes = [models.Index(fields=["scope", "area", "month"], name="tally_change_where")]


class BoardReport(models.Model):
    """A corporate parenting board report, made on demand or by the quarterly task."""

    council = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year = models.SmallIntegerField()
    quarter = models.SmallIntegerField()
    generated_at = models.DateTimeField()
    figures = models.JSONField()
    html = models.TextField()
    pdf = models.BinaryField()

    class Meta:
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "year", "quarter"], name="board_report_one_per_quarter"
            )
        ]
