"""Refreshing the facts in the same transaction as every change that feeds a figure.

The services save through the ORM inside one transaction; these receivers run inside it,
so a committed change and its figures are never out of step, and a rolled-back change
leaves no trace in the figures either. Bulk loads that send no signals (``homeward demo``,
``generate``) call ``facts.refresh_children`` for what they wrote, in their transaction;
``import-903`` saves inside ``facts.deferred()``, so these receivers gather its children
and each is refreshed once at the end."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save

from homeward.aftercare.models import ReturnInterview, SafeAndWellCheck
from homeward.children.models import Child, LegalStatus, Placement, WorkerAllocation
from homeward.episodes.models import ClassificationChange, Episode
from homeward.insights import facts

UID = "homeward.insights"


def _episode(sender: Any, instance: Episode, **kwargs: Any) -> None:  # noqa: ARG001
    facts.refresh_child(instance.child_id)


def _by_episode(sender: Any, instance: Any, **kwargs: Any) -> None:  # noqa: ARG001
    facts.refresh_episode(instance.episode_id)


def _by_child(sender: Any, instance: Any, **kwargs: Any) -> None:  # noqa: ARG001
    facts.refresh_child(instance.child_id)


def _child(sender: Any, instance: Child, created: bool = False, **kwargs: Any) -> None:  # noqa: ARG001
    if not created:
        facts.refresh_child(instance.pk)


def _interview_episodes(
    sender: Any,  # noqa: ARG001
    instance: Any,
    action: str,
    pk_set: set[int] | None,  # noqa: ARG001
    **kwargs: Any,
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    # The interview (forward) and the episode (reverse) both know the child.
    facts.refresh_child(instance.child_id)


def _links(sender: Any, instance: Any, action: str, pk_set: set[int] | None, **kwargs: Any) -> None:  # noqa: ARG001
    if action in {"post_add", "post_remove", "post_clear"}:
        facts.refresh_linked([instance.pk, *(pk_set or ())])


def connect() -> None:
    post_save.connect(_episode, sender=Episode, dispatch_uid=f"{UID}.episode")
    post_delete.connect(_episode, sender=Episode, dispatch_uid=f"{UID}.episode_deleted")
    post_save.connect(_by_episode, sender=ClassificationChange, dispatch_uid=f"{UID}.class")
    post_save.connect(_by_episode, sender=SafeAndWellCheck, dispatch_uid=f"{UID}.check")
    post_save.connect(_by_child, sender=ReturnInterview, dispatch_uid=f"{UID}.interview")
    post_save.connect(_by_child, sender=LegalStatus, dispatch_uid=f"{UID}.legal")
    post_save.connect(_by_child, sender=Placement, dispatch_uid=f"{UID}.placement")
    post_save.connect(_by_child, sender=WorkerAllocation, dispatch_uid=f"{UID}.worker")
    post_save.connect(_child, sender=Child, dispatch_uid=f"{UID}.child")
    m2m_changed.connect(
        _interview_episodes, sender=ReturnInterview.episodes.through, dispatch_uid=f"{UID}.covers"
    )
    m2m_changed.connect(
        _links, sender=Episode.went_missing_with.through, dispatch_uid=f"{UID}.links"
    )
