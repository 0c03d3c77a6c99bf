"""The standard codes a return interview records (push and pull factors, risks found),
as themes: their kinds and labels, so a link and the figures name them the same way.
Kept here (below insights) from aftercare's codes; insights.ReasonKind has the same
values."""

from __future__ import annotations

from homeward.aftercare.codes import PullFactor, PushFactor, RiskFound

KINDS: dict[str, tuple[str, dict[str, str]]] = {
    "push": ("Push factor", {str(k): str(v) for k, v in PushFactor.choices}),
    "pull": ("Pull factor", {str(k): str(v) for k, v in PullFactor.choices}),
    "risk": ("Risk found", {str(k): str(v) for k, v in RiskFound.choices}),
}


def label(kind: str, code: str) -> str:
    title, labels = KINDS[kind]
    return f"{title}: {labels.get(code, code)}"


def choices() -> list[tuple[str, str]]:
    """("push:conflict_home", "Push factor: Conflict at home or in placement"), ..."""
    return [
        (f"{kind}:{code}", label(kind, code))
        for kind, (_t, labels) in KINDS.items()
        for code in labels
    ]
