"""Pages of persons of concern: the list the viewer may see, one person (with the police's
parts for the police), record one (from a child's page, linked to the child), change one,
link one to a child, an episode or a place, remove a link; and the panel on the child's
page. No personal data in any address: persons and children go by their numbers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from homeward.children.models import Child
from homeward.core.actor import Actor
from homeward.core.errors import AccessDenied, NotFound, ValidationFailed
from homeward.core.forms import add_service_errors
from homeward.core.views import actor_of, web_view
from homeward.safeguarding.forms.persons import LinkForm, PersonForm
from homeward.safeguarding.models import Place
from homeward.safeguarding.services import notices, person_rules, persons

PLACES_LIMIT = 200
LIST_LIMIT = 200


@web_view
@require_http_methods(["GET"])
def person_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    found = list(persons.list_persons(actor)[:LIST_LIMIT])
    persons.audit_listed(actor, found)
    return render(
        request,
        "safeguarding/persons/list.html",
        {
            "persons": found,
            "may_keep": persons.may_keep_persons(actor) and persons.is_police(actor),
        },
    )


@web_view
@require_http_methods(["GET"])
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    read = persons.read_person(actor, pk)
    return render(
        request,
        "safeguarding/persons/detail.html",
        {
            "read": read,
            "person": read.person,
            "may_issue": notices.may_issue(actor),
            "removable": {lk.pk for lk in read.links if persons.may_remove(actor, lk)},
        },
    )


def _child_from_query(actor: Actor, request: HttpRequest) -> Child | None:
    value = request.GET.get("child") or request.POST.get("child")
    if not value:
        return None
    return persons.child_for_form(actor, value)


@web_view
@require_http_methods(["GET", "POST"])
def record_person(request: HttpRequest) -> HttpResponse:
    """Record a person; from a child's page (``?child=``) they are linked to the child."""
    actor = actor_of(request)
    if not persons.may_keep_persons(actor):
        raise AccessDenied("Your role does not allow you to keep persons of concern.")
    child = _child_from_query(actor, request)
    police = persons.is_police(actor)
    posted = request.method == "POST"
    form = PersonForm(request.POST if posted else None, police=police)
    link = _link_form(actor, request, child=child, fixed_person=True) if child else None
    if posted and form.is_valid() and (link is None or link.is_valid()):
        try:
            joined = {**link.data_for_service(), "child_id": child.pk} if link and child else None
            person = persons.record_person(actor, form.data_for_service(), joined)
        except ValidationFailed as exc:
            add_service_errors(form, {k: v for k, v in exc.errors.items() if k in form.fields})
            if link is not None:
                add_service_errors(
                    link,
                    {k: v for k, v in exc.errors.items() if k not in form.fields},
                    _LINK_FIELDS,
                )
        else:
            messages.success(request, "The person of concern has been recorded")
            return redirect("safeguarding:person", pk=person.pk)
    return render(
        request,
        "safeguarding/persons/record.html",
        {"form": form, "link": link, "child": child},
    )


@web_view
@require_http_methods(["GET", "POST"])
def edit_person(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    read = persons.read_person(actor, pk)
    if not read.may_keep:
        raise AccessDenied("Your role does not allow you to keep persons of concern.")
    person = read.person
    initial = {
        "name": person.name,
        "other_names": "\n".join(person.other_names),
        "date_of_birth": person.date_of_birth,
        "approximate_age": person.approximate_age,
        "description": person.description,
        "police_notes": read.police_notes,
    }
    posted = request.method == "POST"
    form = PersonForm(request.POST if posted else None, initial=initial, police=read.police)
    if posted and form.is_valid():
        try:
            persons.update_person(actor, pk, form.data_for_service())
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors)
        else:
            messages.success(request, "The person's details have been saved")
            return redirect("safeguarding:person", pk=pk)
    return render(request, "safeguarding/persons/edit.html", {"form": form, "person": person})


# Where a link's service errors go on the form.
_LINK_FIELDS = {"child_id": "child", "place_id": "place"}


def _places(actor: Actor) -> list[tuple[str, str]]:
    org = actor.organisation
    if org is None:
        return []
    found = Place.objects.filter(
        Q(council=org) | Q(council__police_force=org) | Q(created_by_organisation=org)
    ).order_by("name", "pk")[:PLACES_LIMIT]
    return [(str(p.pk), p.name + (f", {p.postcode}" if p.postcode else "")) for p in found]


def _link_form(
    actor: Actor,
    request: HttpRequest,
    *,
    child: Child | None = None,
    person_id: int | None = None,
    fixed_person: bool = False,
) -> LinkForm:
    """The link form: the person fixed or chosen from those the actor sees; the child
    fixed, or chosen from the children already linked to the person that the actor sees."""
    if fixed_person or person_id is not None:
        choices = [(str(person_id or 0), "This person")]
    else:
        choices = [(str(p.pk), p.name) for p in persons.list_persons(actor)[:LIST_LIMIT]]
    children: list[tuple[str, str]] = []
    if child is not None:
        children = [(str(child.pk), child.full_name)]
    elif person_id is not None:
        seen = {
            lk.child
            for lk in persons.visible_links(actor)
            .filter(person_id=person_id)
            .select_related("child")
            if lk.child
        }
        children = [(str(c.pk), c.full_name) for c in sorted(seen, key=lambda c: c.full_name)]
    posted = request.method == "POST"
    initial = {
        "person": choices[0][0] if fixed_person or person_id else "",
        "child": str(child.pk) if child else "",
    }
    return LinkForm(
        request.POST if posted else None,
        initial=initial,
        persons=choices,
        children=children,
        places=_places(actor),
        police=persons.is_police(actor),
        prefix="link" if fixed_person else None,
    )


@web_view
@require_http_methods(["GET", "POST"])
def link_person(request: HttpRequest, pk: int) -> HttpResponse:
    """Link this person to a child they are already linked to, an episode or a place."""
    actor = actor_of(request)
    read = persons.read_person(actor, pk)
    if not read.may_keep:
        raise AccessDenied("Your role does not allow you to keep persons of concern.")
    form = _link_form(actor, request, person_id=pk, child=_child_from_query(actor, request))
    return _save_link(request, actor, form, read.person.pk, {"person": read.person})


@web_view
@require_http_methods(["GET", "POST"])
def link_to_child(request: HttpRequest, child_id: int) -> HttpResponse:
    """From the child's page: link a person already recorded to this child."""
    actor = actor_of(request)
    if not persons.may_keep_persons(actor):
        raise AccessDenied("Your role does not allow you to keep persons of concern.")
    child = persons.child_for_form(actor, child_id)
    form = _link_form(actor, request, child=child)
    chosen = person_rules.as_int(request.POST.get("person")) if request.method == "POST" else 0
    return _save_link(request, actor, form, chosen, {"child": child})


def _save_link(
    request: HttpRequest, actor: Actor, form: LinkForm, person_id: int, context: dict[str, Any]
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            data = form.data_for_service()
            if "child" in context:
                data["child_id"] = context["child"].pk
            persons.link_person(actor, person_id, data)
        except ValidationFailed as exc:
            add_service_errors(form, exc.errors, _LINK_FIELDS)
        except NotFound:
            form.add_error(None, "No such child, episode or person was found")
        else:
            messages.success(request, "The link has been recorded")
            return redirect("safeguarding:person", pk=person_id)
    return render(request, "safeguarding/persons/link.html", {"form": form, **context})


@web_view
@require_http_methods(["POST"])
def remove_link(request: HttpRequest, pk: int, link_id: int) -> HttpResponse:
    reason = request.POST.get("reason", "")[:5000]
    persons.unlink(actor_of(request), link_id, reason, person_id=pk)
    messages.success(request, "The link has been removed")
    return redirect("safeguarding:person", pk=pk)


urlpatterns: list[URLPattern] = [
    path("persons/", person_list, name="persons"),
    path("persons/new", record_person, name="record-person"),
    path("persons/<int:pk>", person_detail, name="person"),
    path("persons/<int:pk>/edit", edit_person, name="edit-person"),
    path("persons/<int:pk>/links/new", link_person, name="link-person"),
    path("persons/<int:pk>/links/<int:link_id>/remove", remove_link, name="remove-person-link"),
    path("children/<int:child_id>/persons/link", link_to_child, name="link-person-to-child"),
]


def child_panel(actor: Actor, child: Child) -> dict[str, Any]:
    """The persons linked to the child and the notices naming them, on the child's page."""
    if not persons.may_see_persons(actor):
        return {}
    return {
        "persons_panel": {
            "child": child,
            "links": persons.persons_of_child(actor, child),
            "notices": list(
                notices.visible_notices(actor).filter(children=child).select_related("person")
            ),
            "may_keep": persons.may_keep_persons(actor),
            "may_issue": notices.may_issue(actor),
        }
    }
