from __future__ import annotations

from django.conf import settings
from django.db import models

from homeward.aftercare.codes import InterviewerKind, InterviewOutcome, OfferMethod
from homeward.children.models import Child
from homeward.episodes.models import Episode
from homeward.organisations.models import Organisation


class CheckStatus(models.TextChoices):
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done"


class SafeAndWellCheck(models.Model):
    """The police prevention interview with a child found or returned."""

    episode = models.OneToOneField(
        Episode, on_delete=models.CASCADE, related_name="safe_and_well_check"
    )
    status = models.CharField(max_length=10, choices=CheckStatus.choices)
    conducted_at = models.DateTimeField(null=True, blank=True)
    officer_name = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=300, blank=True)
    child_account = models.TextField(blank=True)
    injuries_or_harm = models.TextField(blank=True)
    disclosures = models.JSONField(default=list, blank=True)
    disclosure_details = models.TextField(blank=True)
    concerns = models.TextField(blank=True)
    shared_with = models.TextField(blank=True)
    not_done_reason = models.TextField(blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)


class InterviewStatus(models.TextChoices):
    PENDING = "pending", "Not yet offered"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted, not yet done"
    DONE = "done", "Done"
    DECLINED = "declined", "Declined"
    NOT_OFFERED = "not_offered", "Not offered"


CLOSED_INTERVIEW_STATUSES = {
    InterviewStatus.DONE,
    InterviewStatus.DECLINED,
    InterviewStatus.NOT_OFFERED,
}


class ReturnInterview(models.Model):
    """A return home interview. One interview may cover several episodes."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="return_interviews")
    episodes = models.ManyToManyField(Episode, related_name="return_interviews")
    council = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    # Who does it: the council itself or the provider it commissions.
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="assigned_interviews"
    )
    status = models.CharField(
        max_length=12, choices=InterviewStatus.choices, default=InterviewStatus.PENDING
    )
    due_at = models.DateTimeField(db_index=True)

    offered_at = models.DateTimeField(null=True, blank=True)
    offered_by = models.CharField(max_length=200, blank=True)
    offer_method = models.CharField(max_length=12, choices=OfferMethod.choices, blank=True)
    outcome = models.CharField(max_length=12, choices=InterviewOutcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)

    done_at = models.DateTimeField(null=True, blank=True)
    done_location = models.CharField(max_length=300, blank=True)
    interviewer_name = models.CharField(max_length=200, blank=True)
    interviewer_kind = models.CharField(max_length=12, choices=InterviewerKind.choices, blank=True)
    child_account = models.TextField(blank=True)
    push_factors = models.JSONField(default=list, blank=True)
    pull_factors = models.JSONField(default=list, blank=True)
    factors_detail = models.TextField(blank=True)
    risks_found = models.JSONField(default=list, blank=True)
    what_would_help = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    shared_with = models.TextField(blank=True)
    # The child agreed that short, anonymised quotes may be used in board reports.
    quote_consent = models.BooleanField(default=False)

    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_at"]

    @property
    def within_72_hours(self) -> bool | None:
        if self.done_at is None:
            return None
        return self.done_at <= self.due_at


class CouncilSettings(models.Model):
    """What each council tunes for itself."""

    council = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="aftercare_settings"
    )
    # The independent provider the council commissions for return interviews, if any.
    interview_provider = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Local practice: when a safe and well check counts as overdue after the return.
    check_due_hours = models.PositiveSmallIntegerField(default=24)


# --- the child's own account (docs/own-account.md) -----------------------------------------


class Sharing(models.TextChoices):
    """What the child agreed to, in the words of the choice the child was shown."""

    NAMED = "named", "Named, to my worker"
    ANONYMISED = "anonymised", "Anonymised, for the council's board"
    NOT_SHARED = "not_shared", "Not at all"


class WithdrawalMethod(models.TextChoices):
    """How the child told their worker that they withdrew their consent."""

    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "By phone"
    MESSAGE = "message", "By text message or email"
    SOMEONE_ELSE = "someone_else", "Through someone the child trusts"


class OwnAccountLink(models.Model):
    """A private, single-use link for a child to give their own account of one return
    interview. Only a keyed hash of the link's token is kept, never the token itself."""

    interview = models.ForeignKey(
        ReturnInterview, on_delete=models.CASCADE, related_name="own_account_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField()
    first_opened_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # "revoked" (by a worker) or "replaced" (a new link was given).
    revoked_reason = models.CharField(max_length=10, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]


class OwnAccount(models.Model):
    """What the child wrote through their link, with their consent and its history."""

    interview = models.OneToOneField(
        ReturnInterview, on_delete=models.CASCADE, related_name="own_account"
    )
    link = models.OneToOneField(OwnAccountLink, on_delete=models.PROTECT, related_name="account")
    # Kept only while the child's choice lets someone read them (named or anonymised);
    # emptied when the child chose "not at all" and when they withdraw their consent.
    what_happened = models.TextField(blank=True)
    what_would_help = models.TextField(blank=True)
    sharing = models.CharField(max_length=10, choices=Sharing.choices)
    consent_given_at = models.DateTimeField()
    # How the consent was given: always the child's own answer on the link's form.
    consent_method = models.CharField(max_length=20, default="own_account_form")
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_method = models.CharField(
        max_length=12, choices=WithdrawalMethod.choices, blank=True
    )
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    @property
    def consent_standing(self) -> bool:
        return self.withdrawn_at is None and self.sharing != Sharing.NOT_SHARED

    @property
    def worker_may_read(self) -> bool:
        return self.withdrawn_at is None and self.sharing == Sharing.NAMED

    @property
    def board_may_use(self) -> bool:
        return self.withdrawn_at is None and self.sharing == Sharing.ANONYMISED
