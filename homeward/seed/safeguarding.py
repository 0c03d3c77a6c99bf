"""The demo's profiles, plans and home protocols: "before the next time" for its children.

Every child who went missing more than once has a missing profile; a few have none yet,
a few are past their review date and a few have no photograph, so the owners' lists of
profiles needing attention are not empty. Every child who went missing three or more
times has a risk management plan, most with an earlier version a worker revised. Each
of the three homes has its written protocol, and each episode from a home in the last six
months was followed through it, step by step, and signed off (a few late). Photographs
are drawn, not taken: a coloured silhouette on a plain ground, made by Pillow from the
seed, so no image of a real person is ever in the demo.

Rows are written directly, as the rest of the demo is (``demo.py`` says why), keeping
the services' rules: a profile's owner is the child's home or council, a plan's owner is
a member of the responsible council, versions number from 1 and never change, a run's
steps are the home's steps, a step is never before the child was last seen, and a
sign-off comes after every step was recorded."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from django.utils import timezone

from homeward.children.codes import Sex
from homeward.children.models import Child
from homeward.episodes.models import Episode, EpisodeStatus, MissingFrom, RiskGrade
from homeward.organisations.models import Membership, Organisation, Role, User
from homeward.safeguarding.models import (
    HomeProtocol,
    MissingProfile,
    PlanReview,
    PlanVersion,
    ProfilePhoto,
    ProtocolRun,
    ProtocolStep,
    ReviewTrigger,
    RiskPlan,
    StepKind,
    StepRecord,
)
from homeward.safeguarding.services import photos
from homeward.safeguarding.services.reviews import due_after
from homeward.seed import text
from homeward.seed.area import HOMES
from homeward.seed.names import first_name, surname
from homeward.seed.photos import silhouette
from homeward.seed.plan import Area, ChildPlan

BUILDS = ("slim", "slight", "medium", "stocky", "tall and thin")
HAIR = ("short brown", "long dark brown, usually tied back", "blonde, shoulder length",
        "black, shaved at the sides", "red, curly", "dyed pink at the ends")  # fmt: skip
EYES = ("brown", "blue", "green", "hazel", "grey")
FEATURES = (
    "small scar above the left eyebrow",
    "pierced ears",
    "freckles",
    "wears glasses",
    "a tattoo of a star on the left wrist",
    "braces on the teeth",
)
VULNERABILITIES = (
    "Has been seen with older males in cars; concerns about child sexual exploitation.",
    "Believed to carry drugs for others between towns (county lines concern).",
    "Self-harms when distressed; has said they feel nobody listens.",
    "Trusts adults quickly and shares their location online.",
    "Low mood since a change of placement; sleeps rough when they run.",
)
MEDICAL = (
    ("Asthma: needs a blue inhaler.", "Salbutamol inhaler, as needed"),
    ("Type 1 diabetes: needs insulin with meals.", "Insulin pen, four times a day"),
    ("Epilepsy: seizures if medication is missed.", "Lamotrigine, twice a day"),
    ("ADHD.", "Methylphenidate, mornings"),
    ("", ""),
)
RELATIONSHIPS = ("Aunt", "Older brother", "Friend from school", "Grandmother",
                 "Ex-foster carer", "Friend (older, not known to carers)")  # fmt: skip
WORKED = (
    "Texting rather than ringing: answers texts from {their} key worker.",
    "Usually goes to {their} grandmother's first; ring her before the police.",
    "Comes back on {their} own if not chased on social media.",
    "Talks to the youth worker at the skate park, who has persuaded {them} home twice.",
)
IF_MISSING = (
    "Ring {aunt} first on {phone}: {pronoun} often goes there.",
    "Check {landmark} and the bus shelter opposite.",
    "Text, do not ring: {pronoun} switches the phone off if called repeatedly.",
    "Tell the police after {minutes} minutes if not found, whatever the time.",
    "Tell the allocated social worker, or the emergency duty team out of hours.",
)
RISKS = (
    "Goes missing after contact with birth family; seen with adults linked to exploitation.",
    "Repeatedly missing overnight; found in another town each time; drugs found once.",
    "Runs after arguments at school; vulnerable online; a high-risk episode this year.",
)


def _phone(rng: random.Random) -> str:
    # Numbers reserved for drama by Ofcom: never a real person's.
    return f"07700 900{rng.randint(0, 999):03d}"


def write_safeguarding(area: Area) -> None:
    rng = area.rng("safeguarding")
    at_risk = [c for c in area.children if c.row is not None and c.wanted >= 2]
    for plan in at_risk:
        if rng.random() < 0.9:  # one in ten has no profile yet
            _profile(area, rng, plan)
        if plan.wanted >= 3:
            _plan(area, rng, plan)
    protocols = {h.key: _protocol(area, h.key) for h in HOMES}
    _runs(area, rng, protocols)
    _reviews_to_do(area)


def _reviews_to_do(area: Area) -> None:
    """The reviews the live triggers would have opened and nobody has done yet: for a
    child missing now at high risk, and for a child whose latest episode, this month,
    reached the repeat threshold (3 in 90 days). The same keys as the triggers', so a
    trigger never opens a second. Plans past their review date get theirs from the
    worker's first daily sweep."""
    recent = area.clock.now - timedelta(days=30)
    for episode in (
        Episode.objects.filter(last_seen_at__gte=recent)
        .select_related("child")
        .order_by("child_id", "-last_seen_at")
    ):
        child = episode.child
        if PlanReview.objects.filter(child=child).exists():
            continue
        plan = RiskPlan.objects.filter(child__person_id=child.person_id).first()
        since = episode.last_seen_at - timedelta(days=90)
        repeat = Episode.objects.filter(
            child__person_id=child.person_id, last_seen_at__gte=since
        ).count()
        if episode.status == EpisodeStatus.MISSING and episode.risk_grade == RiskGrade.HIGH:
            trigger, key = ReviewTrigger.HIGH_RISK, f"high_risk:{episode.reference}"
            detail = f"Episode {episode.reference} graded high risk"
        elif repeat >= 3:
            trigger, key = ReviewTrigger.REPEAT, f"repeat:{child.pk}:{episode.reference}"
            detail = f"{repeat} episodes in 90 days"
        else:
            continue
        PlanReview.objects.create(
            child=child,
            plan=plan,
            trigger=trigger,
            detail=detail,
            source_key=key,
            due_date=due_after(timezone.localtime(episode.reported_at).date()),
            opened_at=episode.reported_at,
        )


def _owner(child: Child) -> Organisation:
    placement = child.current_placement
    if placement is not None and placement.provider is not None:
        return placement.provider
    return child.responsible_council


def _profile(area: Area, rng: random.Random, plan: ChildPlan) -> MissingProfile:
    child = plan.row
    assert child is not None
    now = area.clock.now
    medical, medication = rng.choice(MEDICAL)
    them = "her" if plan.sex == Sex.FEMALE else "him"
    associates = [
        {
            "name": f"{first_name(rng, rng.choice(Sex.values))} {surname(rng)}",
            "relationship": rng.choice(RELATIONSHIPS),
            "phone": _phone(rng),
            "notes": "" if rng.random() < 0.6 else f"Has let {them} stay before.",
        }
        for _ in range(rng.randint(1, 3))
    ]
    town = rng.choice(plan.council.towns)
    places = [
        {"place": f"{rng.choice(text.LANDMARKS).capitalize()}, {town}", "postcode": "",
         "notes": "Found here before."},
        {"place": f"{rng.randint(2, 98)} {rng.choice(text.STREETS)}, {town}",
         "postcode": rng.choice(plan.council.districts), "notes": "A friend's flat."},
    ]  # fmt: skip
    # Most are current; one in six is past its review date.
    review = area.clock.today + timedelta(days=rng.randint(10, 90))
    if rng.random() < 1 / 6:
        review = area.clock.today - timedelta(days=rng.randint(1, 40))
    profile = MissingProfile.objects.create(
        child=child,
        owner=_owner(child),
        review_date=review,
        height=f"about {rng.randint(140, 185)} cm",
        build=rng.choice(BUILDS),
        hair=rng.choice(HAIR),
        eyes=rng.choice(EYES),
        distinguishing_features=rng.choice(FEATURES),
        vulnerabilities=rng.choice(VULNERABILITIES),
        medical_needs=medical,
        medication=medication,
        associates=associates,
        places=places,
        phone=_phone(rng),
        social_media=f"Snapchat and TikTok as {plan.first_name.lower()}{rng.randint(10, 99)}",
        transport="Uses buses; has been found on trains without a ticket.",
        money="Has a bank card; pocket money on Fridays.",
        what_worked_before=rng.choice(WORKED).format(
            their="her" if plan.sex == Sex.FEMALE else "his",
            them="her" if plan.sex == Sex.FEMALE else "him",
        ),
        created_at=now - timedelta(days=rng.randint(30, 300)),
        updated_at=now - timedelta(days=rng.randint(0, 29)),
    )
    if rng.random() < 0.85:  # a few have no photograph yet: flagged to their owner
        _photo(area, rng, profile)
    return profile


def _photo(area: Area, rng: random.Random, profile: MissingProfile) -> ProfilePhoto:
    """A drawn photograph, cleaned and kept as the photo service keeps an upload."""
    cleaned = photos.clean_image(silhouette(rng))
    name = f"{rng.getrandbits(128):032x}.jpg"
    folder = photos.photo_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(cleaned.data)
    return ProfilePhoto.objects.create(
        profile=profile,
        file_name=name,
        content_type=photos.CONTENT_TYPE,
        width=cleaned.width,
        height=cleaned.height,
        size_bytes=len(cleaned.data),
        sha256=hashlib.sha256(cleaned.data).hexdigest(),
        taken_on=area.clock.today - timedelta(days=rng.randint(5, 120)),
        current=True,
        uploaded_at=profile.updated_at,
    )


def _council_member(council: Organisation, roles: tuple[str, ...]) -> User | None:
    for role in roles:
        found = (
            Membership.objects.filter(organisation=council, role=role, is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found.user
    return None


def _plan_owner(child: Child) -> User | None:
    allocation = child.allocations.filter(
        end_date__isnull=True, organisation=child.responsible_council
    ).first()
    if allocation is not None:
        return allocation.worker
    return _council_member(
        child.responsible_council,
        (Role.COUNCIL_MISSING_COORDINATOR, Role.COUNCIL_MANAGER, Role.SOCIAL_WORKER),
    )


def _plan(area: Area, rng: random.Random, plan: ChildPlan) -> RiskPlan | None:
    child = plan.row
    assert child is not None
    owner = _plan_owner(child)
    if owner is None:
        return None
    now = area.clock.now
    pronoun = "she" if plan.sex == Sex.FEMALE else "he"
    minutes = rng.choice((30, 60, 120))
    words = {
        "aunt": f"{first_name(rng, Sex.FEMALE)} (aunt)",
        "phone": _phone(rng),
        "pronoun": pronoun,
        "landmark": rng.choice(text.LANDMARKS),
        "minutes": str(minutes),
    }
    steps = [line.format(**words) for line in IF_MISSING]
    versions = 2 if rng.random() < 0.7 else 1
    created = now - timedelta(days=rng.randint(60, 200))
    review = area.clock.today + timedelta(days=rng.randint(5, 60))
    if rng.random() < 0.15:
        review = area.clock.today - timedelta(days=rng.randint(1, 20))
    risk_plan = RiskPlan.objects.create(
        child=child,
        owner_organisation=child.responsible_council,
        owner=owner,
        review_date=review,
        current_version=versions,
        created_at=created,
        updated_at=created if versions == 1 else now - timedelta(days=rng.randint(1, 30)),
    )
    for number in range(1, versions + 1):
        latest = number == versions
        PlanVersion.objects.create(
            plan=risk_plan,
            number=number,
            risks=rng.choice(RISKS),
            agencies=[
                {
                    "agency": child.responsible_council.name,
                    "will_do": "Visit weekly; chair the missing panel review.",
                    "owner": owner.get_full_name() or owner.username,
                },
                {
                    "agency": area.orgs["force"].name,
                    "will_do": "Flag the address; treat a report as medium risk or higher.",
                    "owner": "Missing persons coordinator",
                },
            ],
            actions=[
                {
                    "action": "Return interview by the independent provider after each episode",
                    "owner": "Missing coordinator",
                    "due": "",
                    "done": latest,
                },
                {
                    "action": "Referral to the exploitation panel",
                    "owner": owner.get_full_name() or owner.username,
                    "due": (area.clock.today + timedelta(days=14)).isoformat(),
                    "done": False,
                },
            ],
            if_missing=steps if latest else steps[1:],
            report_after_minutes=minutes if latest else 120,
            review_date=review,
            owner=owner,
            change_note="" if number == 1 else "After the latest episode: ring the aunt first.",
            changed_at=created if number == 1 else risk_plan.updated_at,
            changed_by=owner,
            changed_by_organisation=child.responsible_council,
        )
    return risk_plan


DEFAULT_STEPS = (
    (StepKind.SEARCH, "Search the house, the garden and the outbuildings", 15),
    (StepKind.RING_CHILD, "Ring and text the child's phone", 20),
    (StepKind.RING_CONTACTS, "Ring the people in the child's missing profile", 45),
    (StepKind.TELL_POLICE, "Tell the police on 101 (999 if at immediate risk)", 60),
    (StepKind.TELL_COUNCIL, "Tell the placing council, or its emergency duty team", 90),
)


def _protocol(area: Area, key: str) -> HomeProtocol:
    home = area.orgs[key]
    manager = area.users.get("care.manager") if key == area.care_home.key else None
    protocol = HomeProtocol.objects.create(
        home=home, sign_off_hours=24, updated_at=area.clock.now, updated_by=manager
    )
    ProtocolStep.objects.bulk_create(
        ProtocolStep(protocol=protocol, position=i, kind=kind, text=words, within_minutes=m)
        for i, (kind, words, m) in enumerate(DEFAULT_STEPS, start=1)
    )
    return protocol


def _runs(area: Area, rng: random.Random, protocols: dict[str, HomeProtocol]) -> None:
    """Each episode from a home in the last six months, followed through its protocol."""
    since = area.clock.now - timedelta(days=180)
    by_home = {area.orgs[h.key].pk: h.key for h in HOMES}
    episodes = Episode.objects.filter(
        missing_from=MissingFrom.PLACEMENT,
        last_seen_at__gte=since,
        placement__provider_id__in=list(by_home),
        reporting_organisation_id__in=list(by_home),
    ).select_related("placement")
    manager = area.users.get("care.manager")
    staff = area.users.get("care.staff")
    for episode in episodes.order_by("last_seen_at"):
        assert episode.placement is not None
        assert episode.placement.provider_id is not None
        key = by_home[episode.placement.provider_id]
        ours = key == area.care_home.key  # the home with demo logins: its staff recorded it
        _run(area, rng, episode, protocols[key], manager if ours else None, staff if ours else None)


def _run(
    area: Area,
    rng: random.Random,
    episode: Episode,
    protocol: HomeProtocol,
    manager: User | None,
    staff: User | None,
) -> ProtocolRun:
    noticed = episode.last_seen_at + timedelta(minutes=rng.randint(5, 40))
    plan_minutes = (
        PlanVersion.objects.filter(
            plan__child__person_id=episode.child.person_id,
            number=RiskPlan.objects.filter(child__person_id=episode.child.person_id).values(
                "current_version"
            )[:1],
        )
        .values_list("report_after_minutes", flat=True)
        .first()
    )
    due_minutes = plan_minutes or 60
    done_at = noticed
    records: list[StepRecord] = []
    police_told: datetime | None = None
    slow = rng.random() < 0.2  # one in five tells the police late
    still_open = episode.returned_at is None
    for step in protocol.steps.all():
        skipped = step.kind == StepKind.RING_CONTACTS and rng.random() < 0.1
        gap = rng.randint(3, 20) * (3 if slow and step.kind == StepKind.TELL_POLICE else 1)
        done_at = min(done_at + timedelta(minutes=gap), area.clock.now - timedelta(minutes=5))
        unrecorded = still_open and step.kind == StepKind.TELL_COUNCIL
        if step.kind == StepKind.TELL_POLICE:
            police_told = done_at
        records.append(
            StepRecord(
                position=step.position,
                kind=step.kind,
                text=step.text,
                within_minutes=step.within_minutes,
                done_at=None if skipped or unrecorded else done_at,
                not_done_reason="No one in the profile answered their phone" if skipped else "",
                recorded_at=None if unrecorded else done_at,
                recorded_by=None if unrecorded else staff,
            )
        )
    due = noticed + timedelta(hours=protocol.sign_off_hours)
    signed: datetime | None = None
    if not still_open:
        late = rng.random() < 0.15
        signed = (
            due + timedelta(hours=rng.randint(2, 30))
            if late
            else done_at + timedelta(hours=rng.randint(1, 20))
        )
        signed = min(signed, area.clock.now - timedelta(minutes=1))
    run = ProtocolRun.objects.create(
        episode=episode,
        home_id=protocol.home_id,
        protocol_version=protocol.version,
        noticed_at=noticed,
        started_at=episode.reported_at,
        started_by=staff,
        police_told_at=police_told,
        police_due_minutes=due_minutes,
        sign_off_due_at=due,
        signed_off_at=signed,
        signed_off_by=manager if signed else None,
        sign_off_note="Steps checked with the staff on shift." if signed else "",
    )
    for record in records:
        record.run = run
    StepRecord.objects.bulk_create(records)
    return run


def counts() -> dict[str, int]:
    return {
        "missing profiles": MissingProfile.objects.count(),
        "photographs": ProfilePhoto.objects.count(),
        "risk management plans": RiskPlan.objects.count(),
        "plan reviews to do": PlanReview.objects.filter(status="open").count(),
        "home protocols followed": ProtocolRun.objects.count(),
    }
