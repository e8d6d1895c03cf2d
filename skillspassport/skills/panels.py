"""The skills sections of a resident's pages: passport levels, evidence and level history.

Registered in `SkillsConfig.ready()` with the resident page registry of `people.panels`.
"""

from __future__ import annotations

from typing import Any

from skillspassport.accounts.roles import Capability
from skillspassport.people.panels import Page, Panel, Viewing
from skillspassport.skills import selectors
from skillspassport.skills.models import Evidence

HISTORY_SHOWN = 20  # the latest level changes on the resident page


def passport_context(viewing: Viewing) -> dict[str, Any]:
    return {
        "passport": viewing.once(selectors.passport_summary),
        "can_record_evidence": viewing.can(Capability.RECORD_EVIDENCE),
    }


def _evidence(viewing: Viewing) -> list[Evidence]:
    return list(viewing.once(selectors.evidence_for_resident))


def evidence_context(viewing: Viewing) -> dict[str, Any]:
    evidence = _evidence(viewing)
    return {
        "passport": viewing.once(selectors.passport_summary),
        "evidence": [e for e in evidence if e.withdrawn_at is None],
        "withdrawn_evidence": [e for e in evidence if e.withdrawn_at is not None],
        "can_record_evidence": viewing.can(Capability.RECORD_EVIDENCE),
    }


def history_context(viewing: Viewing) -> dict[str, Any]:
    return {"history": selectors.level_history(resident=viewing.resident)[:HISTORY_SHOWN]}


def printable_passport_context(viewing: Viewing) -> dict[str, Any]:
    """Levels and what the resident can do (current evidence), with no actions."""
    return {
        "passport": viewing.once(selectors.passport_summary),
        "evidence": [e for e in _evidence(viewing) if e.withdrawn_at is None],
        "printable": True,
    }


PANELS = (
    Panel(
        name="skills.passport",
        page=Page.RESIDENT,
        order=10,
        template="skills/panels/passport.html",
        context=passport_context,
    ),
    Panel(
        name="skills.evidence",
        page=Page.RESIDENT,
        order=50,
        template="skills/panels/evidence.html",
        context=evidence_context,
    ),
    Panel(
        name="skills.history",
        page=Page.RESIDENT,
        order=60,
        template="skills/panels/history.html",
        context=history_context,
    ),
    Panel(
        name="skills.passport",
        page=Page.PRINTABLE_PASSPORT,
        order=10,
        template="skills/panels/printable_passport.html",
        context=printable_passport_context,
    ),
)
