"""API shapes for a child's audit trail."""

from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from homeward.audit.models import AuditEvent
from homeward.core.schemas import OrganisationOut


class TrailFilters(Schema):
    page: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    page_size: Annotated[int, Field(ge=1, le=500)] = 100


class AuditEventOut(Schema):
    sequence: int = Field(description="The event's place in the whole log")
    at: datetime
    username: str | None = Field(description="None for Homeward itself")
    name: str | None
    organisation: OrganisationOut | None
    role: str
    channel: str = Field(description="ui, api, cli or system")
    action: str = Field(description="view, search_result, list_result, report, ...")
    record_type: str = Field(description="child, episode, return_interview, ...")
    record: str = Field(description="The record's id or reference")

    @classmethod
    def build(cls, event: AuditEvent) -> "AuditEventOut":
        user = event.user
        return cls(
            sequence=event.sequence,
            at=event.at,
            username=user.get_username() if user else None,
            name=(user.get_full_name() or user.get_username()) if user else None,
            organisation=OrganisationOut.model_validate(event.organisation)
            if event.organisation
            else None,
            role=event.role,
            channel=event.channel,
            action=event.action,
            record_type=event.object_type,
            record=event.object_id,
        )


class AuditTrailOut(Schema):
    child_id: int
    count: int = Field(description="Events in the trail, across all pages")
    page: int
    page_size: int
    items: list[AuditEventOut]
