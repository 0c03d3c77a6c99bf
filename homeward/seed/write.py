"""Writing the planned area: organisations, users, children with their histories, and
the checks and interviews (bulk inserts, inside the load's transaction)."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db.models.functions import Coalesce

from homeward.aftercare.codes import (
    Disclosure,
    InterviewerKind,
    InterviewOutcome,
    PullFactor,
    PushFactor,
    RiskFound,
)
from homeward.aftercare.models import (
    CheckStatus,
    CouncilSettings,
    ReturnInterview,
    SafeAndWellCheck,
)
from homeward.aftercare.services import INTERVIEW_DUE
from homeward.children.codes import Sex
from homeward.children.models import (
    Child,
    ChildAlias,
    ChildIdentifier,
    LegalStatus,
    Placement,
    WorkerAllocation,
    new_persons,
)
from homeward.linkage import keys
from homeward.organisations.models import Membership, Organisation, OrganisationKind, Role, User
from homeward.seed import distributions as dist
from homeward.seed import text, voices
from homeward.seed.area import (
    COUNCILS,
    FORCE_CODE,
    FORCE_NAME,
    HOMES,
    NATIONAL_CODE,
    NATIONAL_NAME,
    RHI_CODE,
    RHI_NAME,
    ROLE_USERS,
    coordinator_username,
    login_order,
    social_worker_usernames,
)
from homeward.seed.names import first_name, surname
from homeward.seed.plan import Area, EpisodePlan, InterviewPlan


def write_organisations(area: Area) -> None:
    force = Organisation.objects.create(
        kind=OrganisationKind.POLICE, name=FORCE_NAME, code=FORCE_CODE
    )
    area.orgs["force"] = force
    for spec in COUNCILS:
        area.orgs[spec.key] = Organisation.objects.create(
            kind=OrganisationKind.COUNCIL, name=spec.name, code=spec.code, police_force=force
        )
    for home in HOMES:
        area.orgs[home.key] = Organisation.objects.create(
            kind=OrganisationKind.CARE_PROVIDER,
            name=home.name,
            code=home.code,
            area_council=area.orgs[home.council],
        )
    area.orgs["rhi"] = Organisation.objects.create(
        kind=OrganisationKind.RHI_PROVIDER, name=RHI_NAME, code=RHI_CODE
    )
    area.orgs["national"] = Organisation.objects.create(
        kind=OrganisationKind.NATIONAL, name=NATIONAL_NAME, code=NATIONAL_CODE
    )


def write_users(area: Area) -> None:
    rng = area.rng("users")
    password = make_password(settings.HOMEWARD_DEMO_PASSWORD)
    where = {
        "force": area.orgs["force"],
        "council": area.orgs[area.main_council.key],
        "home": area.orgs[area.care_home.key],
        "rhi": area.orgs["rhi"],
        "national": area.orgs["national"],
    }
    wanted: list[tuple[str, str, Organisation]] = []
    for username, role, org_key in ROLE_USERS:
        if username != "social.worker":
            wanted.append((username, role, where[org_key]))
    for spec in COUNCILS:
        for username in social_worker_usernames(spec, spec is area.main_council):
            wanted.append((username, Role.SOCIAL_WORKER, area.orgs[spec.key]))
        if spec is not area.main_council:
            coordinator = Role.COUNCIL_MISSING_COORDINATOR
            wanted.append((coordinator_username(spec), coordinator, area.orgs[spec.key]))
    wanted.sort(key=lambda w: login_order(w[0]))
    for username, role, org in wanted:
        sex = rng.choice((Sex.FEMALE, Sex.MALE))
        user = User(
            username=username,
            first_name=first_name(rng, sex),
            last_name=surname(rng, 0 if rng.random() < 0.7 else 1),
            email=f"{username}@demo.homeward.example",
            password=password,
        )
        user.save()
        area.users[username] = user
        area.memberships[username] = Membership.objects.create(
            user=user, organisation=org, role=role
        )


def write_children(area: Area) -> None:
    rows = [
        Child(
            first_name=c.first_name,
            last_name=c.last_name,
            date_of_birth=c.dob,
            sex=c.sex,
            ethnicity=c.ethnicity,
            upn=c.upn,
            nhs_number=c.nhs_number,
            responsible_council=area.orgs[c.council.key],
        )
        for c in area.children
    ]
    new_persons(rows)
    Child.objects.bulk_create(rows)
    for plan, row in zip(area.children, rows, strict=True):
        plan.row = row
    aliases, identifiers, statuses, placements, allocations = [], [], [], [], []
    for c in area.children:
        assert c.row is not None
        aliases += [ChildAlias(child=c.row, name=name) for name in c.aliases]
        identifiers.append(
            ChildIdentifier(
                child=c.row,
                organisation=area.orgs[c.council.key],
                value=f"{c.council.case_prefix}{104000 + c.index * 7:07d}",
            )
        )
        statuses += [
            LegalStatus(child=c.row, status=s.status, start_date=s.start, end_date=s.end)
            for s in c.statuses
        ]
        for p in c.placements:
            p.row = Placement(
                child=c.row,
                placement_type=p.placement_type,
                provider=area.orgs[p.home.key] if p.home else None,
                host_council=area.orgs[p.host.key],
                postcode_district=p.district,
                start_date=p.start,
                end_date=p.end,
            )
            placements.append(p.row)
        allocations += [
            WorkerAllocation(
                child=c.row,
                worker=area.users[a.worker],
                organisation=area.orgs[c.council.key],
                start_date=a.start,
                end_date=a.end,
            )
            for a in c.allocations
        ]
    ChildAlias.objects.bulk_create(aliases)
    ChildIdentifier.objects.bulk_create(identifiers)
    LegalStatus.objects.bulk_create(statuses)
    Placement.objects.bulk_create(placements)
    WorkerAllocation.objects.bulk_create(allocations)


def write_aftercare(area: Area) -> None:
    rng = area.rng("aftercare-words")
    rhi = area.orgs["rhi"]
    # Two councils commission the independent provider; Sedgecombe does its own.
    CouncilSettings.objects.bulk_create(
        CouncilSettings(
            council=area.orgs[c.key], interview_provider=None if c.key == "sedgecombe" else rhi
        )
        for c in COUNCILS
    )
    write_checks(area, rng)
    write_interviews(area, rng)


def write_checks(area: Area, rng: random.Random) -> None:
    """What record_check writes: done with what the child said, or not done and why."""
    at, force = area.clock.at, area.orgs["force"]
    officer = area.users["police.officer"]
    checks = []
    for plan in area.episodes:
        check = plan.check
        if check is None or plan.row is None:
            continue
        episode = plan.row
        checks.append(
            SafeAndWellCheck(
                episode=episode,
                status=CheckStatus.DONE if check.done else CheckStatus.NOT_DONE,
                conducted_at=at(check.conducted) if check.conducted is not None else None,
                officer_name=officer.get_full_name() if check.done else "",
                location=rng.choice(text.CHECK_LOCATIONS) if check.done else "",
                child_account=rng.choice(text.CHECK_ACCOUNTS) if check.done else "",
                injuries_or_harm=episode.harm_indicators if check.done else "",
                disclosures=(
                    [rng.choice(Disclosure.values)]
                    if check.done and episode.harm_indicators and rng.random() < 0.5
                    else []
                ),
                shared_with="Responsible council's missing coordinator; allocated social worker"
                if check.done
                else "",
                not_done_reason="" if check.done else rng.choice(text.CHECK_NOT_DONE),
                organisation=force,
                recorded_by=officer,
                recorded_at=at(check.recorded),
            )
        )
    SafeAndWellCheck.objects.bulk_create(checks)


def write_interviews(area: Area, rng: random.Random) -> None:
    rows = []
    for interview in area.interviews:
        interview.row = _interview_row(area, rng, interview)
        rows.append(interview.row)
    ReturnInterview.objects.bulk_create(rows)
    through = ReturnInterview.episodes.through
    through.objects.bulk_create(
        through(returninterview_id=interview.row.pk, episode_id=e.row.pk)
        for interview in area.interviews
        for e in interview.episodes
        if interview.row is not None and e.row is not None
    )
    ReturnInterview.objects.update(updated_at=Coalesce("closed_at", "offered_at", "created_at"))


def _interview_row(area: Area, rng: random.Random, interview: InterviewPlan) -> ReturnInterview:
    """What the interview services write: the offer, the outcome and, once done, the
    child's account."""
    at, rhi = area.clock.at, area.orgs["rhi"]
    council = area.orgs[interview.child.council.key]
    provider = council if interview.child.council.key == "sedgecombe" else rhi
    interviewer = (
        area.users["rhi.worker"].get_full_name()
        if provider == rhi
        else f"{first_name(rng, rng.choice(Sex.values))} {surname(rng)}"
    )
    row = ReturnInterview(
        child=interview.child.row,
        council=council,
        provider=provider,
        status=interview.status,
        due_at=at(interview.first_return) + INTERVIEW_DUE,
        created_at=at(interview.first_return),
        version=1
        + sum(x is not None for x in (interview.offered, interview.decided, interview.done)),
    )
    if interview.offered is not None:
        row.offered_at = at(interview.offered)
        row.offered_by = interviewer
        row.offer_method = dist.weighted(
            rng, {"phone": 0.45, "in_person": 0.3, "text": 0.2, "letter": 0.05}
        )
    if interview.outcome:
        row.outcome = interview.outcome
        if interview.outcome == InterviewOutcome.NOT_OFFERED:
            row.outcome_reason = rng.choice(text.INTERVIEW_NOT_OFFERED)
        elif interview.outcome == InterviewOutcome.DECLINED:
            row.outcome_reason = rng.choice(text.INTERVIEW_DECLINED)
    if interview.done is not None:
        _interview_done(row, rng, at(interview.done), interviewer)
    if interview.closed is not None:
        row.closed_at = at(interview.closed)
    return row


def _interview_done(row: ReturnInterview, rng: random.Random, done: datetime, by: str) -> None:
    row.done_at = done
    row.done_location = rng.choice(text.INTERVIEW_PLACES)
    row.interviewer_name = by
    row.interviewer_kind = (
        InterviewerKind.INDEPENDENT if rng.random() < 0.9 else InterviewerKind.TRUSTED
    )
    row.child_account = voices.account(rng)[0]
    row.push_factors = sorted(set(rng.sample(PushFactor.values, rng.randint(0, 2))))
    row.pull_factors = sorted(set(rng.sample(PullFactor.values, rng.randint(1, 2))))
    row.risks_found = sorted(set(rng.sample(RiskFound.values, rng.choice((0, 0, 0, 1, 1, 2)))))
    row.what_would_help = voices.would_help(rng)[0] if rng.random() < 0.85 else ""
    row.actions = rng.choice(text.INTERVIEW_ACTIONS)
    row.shared_with = "Allocated social worker; missing coordinator"
    row.quote_consent = rng.random() < 0.4


def write_current_placements(area: Area) -> None:
    """Each child's current placement, and when the child became known to the service."""
    by_child: dict[int, list[EpisodePlan]] = {}
    for e in area.episodes:
        by_child.setdefault(e.child.index, []).append(e)
    current = []
    for plan in area.children:
        assert plan.row is not None
        placement = plan.current_placement
        plan.row.current_placement = placement.row if placement else None
        first = min(
            [s.start for s in plan.statuses]
            + [area.clock.local_date(e.start) for e in by_child.get(plan.index, [])]
            + [area.clock.today - timedelta(days=1)]
        )
        plan.row.created_at = datetime.combine(
            max(first, area.clock.start_date - timedelta(days=365)),
            time(9, 0),
            tzinfo=area.clock.zone,
        )
        current.append(plan.row)
    Child.objects.bulk_update(current, ["current_placement", "created_at"])
    # Their search keys (find before create), now that their placements are known.
    keys.rewrite_all(child_ids=[row.pk for row in current])
