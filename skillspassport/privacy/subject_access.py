"""Everything held about one resident, gathered from every app, for a subject access request.

`SECTIONS` names each model that holds a resident's data and the path from it to the resident.
Every concrete field of those models is included unless a section leaves it out for a stated
reason, so a field added later appears in the export without anyone remembering to add it.
`tests/test_subject_access.py` fails when a model with a path to `Resident` is missing here.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from skillspassport.people.models import Resident

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    model: str  # "app_label.ModelName"
    path: str  # lookup from the model to the resident; "" for the resident row itself
    # Fields left out, each for a reason given beside the section.
    omit: frozenset[str] = frozenset()
    # Fields too long to read on paper: in the JSON download only.
    json_only: frozenset[str] = frozenset()
    description: str = ""


SECTIONS: tuple[Section, ...] = (
    Section(
        "identity",
        "Identity, contact details and address",
        "people.Resident",
        "",
        # Search keys are lower-cased copies of the name, email and phone shown here.
        omit=frozenset({"id", "name_key", "email_key", "phone_key", "last_name_key"}),
        description="The record itself, with the small areas found from the postcode.",
    ),
    Section(
        "revisions",
        "Earlier values of corrected details",
        "privacy.ResidentRevision",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section(
        "erasure",
        "Erasure",
        "privacy.Erasure",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section(
        "consents",
        "Consent and lawful basis, with history",
        "people.ConsentRecord",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section(
        "equality",
        "Equality monitoring answers",
        "people.EqualityMonitoring",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section(
        "evidence",
        "Skills evidence",
        "skills.Evidence",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section(
        "passport_levels",
        "Passport levels held now",
        "skills.PassportLevel",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section(
        "level_history",
        "Passport level history",
        "skills.PassportLevelChange",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section(
        "credentials",
        "Credentials issued, shared and revoked",
        "credentials.IssuedCredential",
        "resident",
        # The share tokens open the share page: a copy on paper or in a file would be a key to
        # it. `shared_at` says whether and when a link was made.
        omit=frozenset({"id", "resident", "share_token", "share_withdraw_token"}),
        json_only=frozenset({"document"}),
    ),
    Section(
        "ended_share_links",
        "Share links that stopped working, and why",
        "credentials.EndedShareLink",
        "credential__resident",
        # The digest identifies the old link; it is no use to anyone reading the export.
        omit=frozenset({"id", "credential", "token_sha256"}),
    ),
    Section(
        "referrals",
        "Referrals to employers' opportunities and their outcomes",
        "employers.Referral",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section(
        "job_starts",
        "Job starts",
        "employers.JobStart",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section(
        "sustainment",
        "Checks that a job was sustained (13 and 26 weeks)",
        "employers.SustainmentCheck",
        "job_start__resident",
        omit=frozenset({"id"}),
    ),
    Section(
        "enrolments",
        "Training enrolments",
        "training.Enrolment",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section(
        "attendance",
        "Training attendance",
        "training.Attendance",
        "enrolment__resident",
        omit=frozenset({"id"}),
    ),
    Section(
        "invitations",
        "Invitations to training",
        "training.Invitation",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section(
        "cases",
        "Employment support cases",
        "support.Case",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section("goals", "Action plan goals", "support.Goal", "case__resident", omit=frozenset({"id"})),
    Section(
        "case_notes", "Case notes", "support.CaseNote", "case__resident", omit=frozenset({"id"})
    ),
    Section(
        "budget_ledger",
        "Personal budget",
        "support.BudgetLedger",
        "resident",
        omit=frozenset({"id", "resident"}),
    ),
    Section(
        "budget_spends",
        "Personal budget spends",
        "support.BudgetSpend",
        "ledger__resident",
        omit=frozenset({"id", "ledger"}),
    ),
    Section(
        "budget_decisions",
        "Decisions on personal budget spends",
        "support.BudgetDecision",
        "spend__ledger__resident",
        omit=frozenset({"id"}),
    ),
    Section(
        "devices",
        "Devices and data SIMs",
        "support.Device",
        "case__resident",
        omit=frozenset({"id"}),
    ),
    Section(
        "placements",
        "Paid work placements",
        "support.Placement",
        "case__resident",
        omit=frozenset({"id"}),
    ),
    Section(
        "case_job_starts",
        "Job starts recorded from a case",
        "support.CaseJobStart",
        "case__resident",
        omit=frozenset({"id"}),
    ),
    Section(
        "audit",
        "Who viewed or changed the record",
        "audit.AuditEvent",
        "resident",
        # The staff member's network address is about them, not the resident.
        omit=frozenset({"id", "resident", "ip_address"}),
        description="Every view, print, export and change recorded in the audit log.",
    ),
)


@dataclass
class Record:
    """One row: values for the JSON download and (label, text) pairs for the document."""

    data: dict[str, Any]
    shown: list[tuple[str, str]]


@dataclass
class SectionData:
    section: Section
    records: list[Record] = field(default_factory=list)


@dataclass
class SubjectAccessExport:
    resident: Resident
    generated_at: dt.datetime
    sections: list[SectionData]

    def as_json_data(self) -> dict[str, Any]:
        return {
            "format_version": FORMAT_VERSION,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "resident": str(self.resident.public_id),
            "controller": self.resident.organisation.name,
            "sections": {
                s.section.key: {
                    "title": s.section.title,
                    "records": [r.data for r in s.records],
                }
                for s in self.sections
            },
        }

    def as_json(self) -> str:
        return json.dumps(self.as_json_data(), indent=2, ensure_ascii=False, sort_keys=False)


def model_of(section: Section) -> type[models.Model]:
    return apps.get_model(section.model)


def _fields(model: type[models.Model], section: Section) -> Iterator[models.Field[Any, Any]]:
    for f in model._meta.concrete_fields:
        if f.name not in section.omit:
            yield f


def _label(f: models.Field[Any, Any]) -> str:
    name = str(f.verbose_name)
    return name[:1].upper() + name[1:]


def _person(user: Any) -> str:
    return (getattr(user, "full_name", "") or str(user)) if user is not None else ""


def _json_value(obj: models.Model, f: models.Field[Any, Any]) -> Any:
    if f.is_relation:
        related = getattr(obj, f.name)
        if related is None:
            return None
        if isinstance(related, Resident):
            return str(related.public_id)
        if related._meta.label == settings.AUTH_USER_MODEL:
            return _person(related)
        return str(related)
    value = getattr(obj, f.attname)
    if isinstance(f, models.FileField):
        return bool(value)
    if f.choices and value not in (None, ""):
        return {"code": value, "label": str(getattr(obj, f"get_{f.name}_display")())}
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    return value


def _shown(obj: models.Model, f: models.Field[Any, Any], section: Section) -> str:
    if f.name in section.json_only:
        return "In the JSON download"
    value = getattr(obj, f.attname)
    if f.is_relation:
        related = getattr(obj, f.name)
        if related is None:
            return "—"
        if isinstance(related, Resident):
            return str(related.public_id)
        if related._meta.label == settings.AUTH_USER_MODEL:
            return _person(related)
        return str(related)
    if isinstance(f, models.FileField):
        return "Held" if value else "None"
    if value is None or value == "":
        return "—"
    if f.choices:
        return str(getattr(obj, f"get_{f.name}_display")())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %B %Y, %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %B %Y}"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items()) or "—"
    return str(value)


def section_queryset(section: Section, resident: Resident) -> models.QuerySet[Any]:
    model = model_of(section)
    # The plain manager: append-only managers refuse nothing on reads, but a section must
    # never be narrowed by a custom default manager.
    rows = model._base_manager.all()
    rows = (
        rows.filter(pk=resident.pk) if not section.path else rows.filter(**{section.path: resident})
    )
    relations = [f.name for f in _fields(model, section) if f.is_relation]
    return rows.select_related(*relations).order_by(*(model._meta.ordering or ["pk"]))


def subject_access_build(*, resident: Resident) -> SubjectAccessExport:
    """Gather every section for `resident` (no audit event: the caller records the export)."""
    sections = []
    for section in SECTIONS:
        model = model_of(section)
        fields = list(_fields(model, section))
        data = SectionData(section)
        for obj in section_queryset(section, resident):
            data.records.append(
                Record(
                    data={f.name: _json_value(obj, f) for f in fields},
                    shown=[(_label(f), _shown(obj, f, section)) for f in fields],
                )
            )
        sections.append(data)
    return SubjectAccessExport(resident=resident, generated_at=timezone.now(), sections=sections)


def paths_to_resident() -> dict[str, str]:
    """Every installed model with a chain of foreign keys leading to `Resident`, and the
    shortest such path ("" for the resident itself)."""
    found: dict[str, str] = {Resident._meta.label: ""}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            label = model._meta.label
            for f in model._meta.concrete_fields:
                if not f.is_relation or f.related_model is None:
                    continue
                target = f.related_model._meta.label  # type: ignore[union-attr]
                if target not in found:
                    continue
                path = f.name if not found[target] else f"{f.name}__{found[target]}"
                if label not in found or path.count("__") < found[label].count("__"):
                    found[label] = path
                    changed = True
    return found
