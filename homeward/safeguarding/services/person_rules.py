"""The rules of a person of concern's record and of a link to them: what each field must
be, with messages naming the field (the same from a page and the API)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from homeward.children import visibility
from homeward.core import clock
from homeward.core.actor import Actor
from homeward.core.errors import ValidationFailed
from homeward.core.validation import name_problem, person_name, text_errors
from homeward.episodes import visibility as episode_visibility
from homeward.organisations.models import OrganisationKind
from homeward.safeguarding.models import (
    InformationAssessment,
    PersonLink,
    PersonOfConcern,
    Place,
    SourceEvaluation,
)

OTHER_NAMES_LIMIT = 10
OLDEST_AGE = 120
YOUNGEST_AGE = 10
AGE_RANGE = f"The approximate age must be between {YOUNGEST_AGE} and {OLDEST_AGE}"


def is_police(actor: Actor) -> bool:
    """The actor works for a police force (police-only parts are theirs; no query)."""
    org = actor.organisation
    return org is not None and org.kind == OrganisationKind.POLICE


def _other_names(value: object) -> tuple[list[str], list[str]]:
    if value in (None, ""):
        return [], []
    raw = value.splitlines() if isinstance(value, str) else value
    if not isinstance(raw, list | tuple):
        return [], ["Other names must be a list of names"]
    names = [person_name(str(n)) for n in raw if str(n).strip()]
    errors = [p for n in names if (p := name_problem(n, "Each other name"))]
    if any(len(n) > 200 for n in names):
        errors.append("Each other name must be 200 characters or fewer")
    if len(names) > OTHER_NAMES_LIMIT:
        errors.append(f"Give at most {OTHER_NAMES_LIMIT} other names")
    return names, errors[:1]


def _dob_errors(dob: object, age: object) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if dob not in (None, "") and (not isinstance(dob, date) or dob > clock.now().date()):
        errors["date_of_birth"] = ["The date of birth must be a real date in the past"]
    if age not in (None, "") and (
        not isinstance(age, int) or isinstance(age, bool) or not YOUNGEST_AGE <= age <= OLDEST_AGE
    ):
        errors["approximate_age"] = [
            f"The approximate age must be between {YOUNGEST_AGE} and {OLDEST_AGE}"
        ]
    return errors


def clean_person(actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """The person's fields from ``data``, or ValidationFailed naming each wrong one.
    ``police_notes`` is taken only from the police."""
    errors: dict[str, list[str]] = {}
    name = person_name(str(data.get("name") or ""))
    if not name:
        errors["name"] = ["Enter the person's name, or what they are known as"]
    elif problem := name_problem(name):
        errors["name"] = [problem]
    other, wrong = _other_names(data.get("other_names"))
    if wrong:
        errors["other_names"] = wrong
    values: dict[str, Any] = {
        "name": name,
        "other_names": other,
        "date_of_birth": data.get("date_of_birth") or None,
        "approximate_age": data.get("approximate_age") or None,
        "description": str(data.get("description") or "").strip(),
    }
    errors.update(_dob_errors(values["date_of_birth"], values["approximate_age"]))
    if is_police(actor):
        values["police_notes"] = str(data.get("police_notes") or "").strip()
    elif data.get("police_notes"):
        errors["police_notes"] = ["Only the police keep police notes"]
    texts = {k: v for k, v in values.items() if isinstance(v, str) and k not in errors}
    errors.update(
        text_errors(PersonOfConcern, texts, {"name": "Name", "description": "Description"})
    )
    if errors:
        raise ValidationFailed(errors)
    return values


def _choice(value: object, choices: type[Any], field: str, message: str) -> dict[str, list[str]]:
    return {} if value in choices.values else {field: [message]}


def clean_link(actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    values = {
        "nature": str(data.get("nature") or "").strip(),
        "source": str(data.get("source") or "").strip(),
        "source_evaluation": str(data.get("source_evaluation") or ""),
        "information_assessment": str(data.get("information_assessment") or ""),
        "police_only": bool(data.get("police_only")),
    }
    if not values["nature"]:
        errors["nature"] = ["Enter what links them, for example 'seen with her at the station'"]
    if not values["source"]:
        errors["source"] = ["Enter where the information came from"]
    errors.update(
        _choice(
            values["source_evaluation"],
            SourceEvaluation,
            "source_evaluation",
            "Select how reliable the source is",
        )
    )
    errors.update(
        _choice(
            values["information_assessment"],
            InformationAssessment,
            "information_assessment",
            "Select how the source knows it",
        )
    )
    if values["police_only"] and not is_police(actor):
        errors["police_only"] = ["Only the police can keep a link police-only"]
    texts = {k: v for k, v in values.items() if isinstance(v, str) and k not in errors}
    errors.update(text_errors(PersonLink, texts, {"nature": "Nature", "source": "Source"}))
    if errors:
        raise ValidationFailed(errors)
    return values


def link_targets(actor: Actor, data: Mapping[str, Any]) -> dict[str, Any]:
    """The child, episode and place the link names; NotFound for one the actor may not
    see, ValidationFailed for none or a mismatch."""
    child = episode = place = None
    if data.get("child_id"):
        child = visibility.get_child(actor, data["child_id"])
    if data.get("episode"):
        episode = (
            episode_visibility.visible_episodes(actor)
            .filter(reference=str(data["episode"]).strip().upper())
            .first()
        )
        if episode is None:
            raise ValidationFailed({"episode": ["No episode was found with that reference"]})
        if child is not None and episode.child_id != child.pk:
            raise ValidationFailed({"episode": ["That episode is not the child's"]})
    if data.get("place_id"):
        place = Place.objects.filter(pk=as_int(data["place_id"])).first()
        if place is None:
            raise ValidationFailed({"place_id": ["No place was found"]})
    if child is None and episode is None and place is None:
        raise ValidationFailed({"child_id": ["Choose a child, an episode or a place to link"]})
    if child is None and episode is not None:
        child = episode.child
    return {"child": child, "episode": episode, "place": place}


def as_int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        return 0


def may_remove(actor: Actor, link: PersonLink) -> bool:
    """A link is removed by the organisation that recorded it, or the force holding the person."""
    org = actor.organisation
    return org is not None and org.pk in (
        link.recorded_by_organisation_id,
        link.person.holding_force_id,
    )
