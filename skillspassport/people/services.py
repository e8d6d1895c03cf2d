"""Writes about residents: registration, details, consent and equality monitoring."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.areas.selectors import areas_for_postcode
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.people.matching import fold
from skillspassport.people.models import (
    MIN_AGE,
    MIN_AGE_OWN_CONSENT,
    ConsentRecord,
    EqualityMonitoring,
    Resident,
)
from skillspassport.people.selectors import email_key, name_key, phone_key
from skillspassport.people.signals import consent_withdrawn, resident_changed


class ConsentError(ValueError):
    """A consent change that makes no sense (e.g. withdrawing what is not active)."""


class TooYoungError(ValueError):
    """The resident is younger than the scheme's minimum age."""


@dataclass(frozen=True)
class Guardian:
    """The parent or guardian who consented for a resident under 16."""

    name: str
    relationship: str
    consented_on: date


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def needs_guardian(born: date, day: date | None = None) -> bool:
    return age_on(born, day or timezone.localdate()) < MIN_AGE_OWN_CONSENT


def _guardian_fields(resident: Resident, guardian: Guardian | None) -> dict[str, Any]:
    if not needs_guardian(resident.date_of_birth):
        return {}
    if guardian is None:
        raise ConsentError(
            f"A resident under {MIN_AGE_OWN_CONSENT} needs a parent or guardian's consent."
        )
    return {
        "guardian_name": guardian.name,
        "guardian_relationship": guardian.relationship,
        "guardian_consented_on": guardian.consented_on,
    }


PERSONAL_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "address_line_1",
    "address_line_2",
    "town",
    "postcode",
    "preferred_contact",
)


def _apply_details(resident: Resident, details: Mapping[str, Any]) -> set[str]:
    changed = set()
    for field in PERSONAL_FIELDS:
        if field in details and getattr(resident, field) != details[field]:
            setattr(resident, field, details[field])
            changed.add(field)
    resident.name_key = name_key(resident.first_name, resident.last_name)
    resident.email_key = email_key(resident.email)
    resident.phone_key = phone_key(resident.phone)
    resident.last_name_key = fold(resident.last_name).replace(" ", "")
    if "postcode" in changed or resident.pk is None:
        areas = areas_for_postcode(resident.postcode)
        resident.lsoa_id = areas.lsoa_code
        resident.ward_id = areas.ward_code
        resident.local_authority_id = areas.local_authority_code
    return changed


@transaction.atomic
def resident_register(
    *,
    user: User,
    organisation: Organisation,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    email: str = "",
    phone: str = "",
    address_line_1: str = "",
    address_line_2: str = "",
    town: str = "",
    postcode: str = "",
    preferred_contact: str,
    consents: Mapping[str, str] | None = None,
    guardian: Guardian | None = None,
    duplicate_override_reason: str = "",
    outside_area_reason: str = "",
    duplicates_shown: int = 0,
    request: Any = None,
) -> Resident:
    """Register a resident. `consents` maps purpose → lawful basis for each purpose agreed.

    `postcode` must already be normalised (forms do this); its areas come from the lookup.
    Residents younger than `MIN_AGE` are refused (`TooYoungError`); under `MIN_AGE_OWN_CONSENT`
    each consent records the `guardian` who gave it (`ConsentError` without one). The reasons
    for going on past a duplicate or outside-area warning are kept on the record and the audit
    event says that they were given.
    """
    if age_on(date_of_birth, timezone.localdate()) < MIN_AGE:
        raise TooYoungError(f"Residents must be {MIN_AGE} or older to join the scheme.")
    resident = Resident(
        organisation=organisation,
        created_by=user,
        duplicate_override_reason=duplicate_override_reason,
        outside_area_reason=outside_area_reason,
    )
    _apply_details(
        resident,
        {
            "first_name": first_name,
            "last_name": last_name,
            "date_of_birth": date_of_birth,
            "email": email,
            "phone": phone,
            "address_line_1": address_line_1,
            "address_line_2": address_line_2,
            "town": town,
            "postcode": postcode,
            "preferred_contact": preferred_contact,
        },
    )
    resident.save()
    guardian_fields = _guardian_fields(resident, guardian) if consents else {}
    for purpose, basis in (consents or {}).items():
        ConsentRecord.objects.create(
            resident=resident, purpose=purpose, lawful_basis=basis, given_by=user, **guardian_fields
        )
    notes, fields = [], []
    if duplicate_override_reason:
        notes.append(f"registered as a different person from {duplicates_shown} possible match(es)")
        fields.append("duplicate_override_reason")
    if outside_area_reason:
        notes.append("registered with a postcode outside the council's area")
        fields.append("outside_area_reason")
    if guardian_fields:
        notes.append("consent given by a parent or guardian")
    audit_record(
        user=user,
        action=AuditAction.CREATED,
        resident=resident,
        summary="; ".join(notes).capitalize(),
        fields=fields,
        request=request,
    )
    return resident


@transaction.atomic
def resident_update(
    *, user: User, resident: Resident, details: Mapping[str, Any], request: Any = None
) -> set[str]:
    """Change a resident's details; returns the names of the fields that changed.

    The values they had before are kept in `privacy.ResidentRevision` (rectification keeps
    history); the audit event names the changed fields only."""
    locked = Resident.objects.select_for_update().get(pk=resident.pk)
    before = {field: getattr(locked, field) for field in PERSONAL_FIELDS}
    changed = _apply_details(locked, details)
    if changed:
        locked.updated_at = timezone.now()
        locked.save()
        resident_changed.send(
            sender=Resident,
            resident=locked,
            user=user,
            previous={field: before[field] for field in changed},
        )
        audit_record(
            user=user, action=AuditAction.UPDATED, resident=locked, fields=changed, request=request
        )
    return changed


@transaction.atomic
def consent_give(
    *,
    user: User,
    resident: Resident,
    purpose: str,
    lawful_basis: str,
    note: str = "",
    guardian: Guardian | None = None,
    request: Any = None,
) -> ConsentRecord:
    """Record consent (or another lawful basis) for a purpose. For a resident under
    `MIN_AGE_OWN_CONSENT` the parent or guardian who gave it is required."""
    Resident.objects.select_for_update().filter(pk=resident.pk).first()
    if resident.consents.active().filter(purpose=purpose).exists():
        raise ConsentError("This purpose already has an active record. Withdraw it first.")
    record = ConsentRecord.objects.create(
        resident=resident,
        purpose=purpose,
        lawful_basis=lawful_basis,
        note=note,
        given_by=user,
        **_guardian_fields(resident, guardian),
    )
    audit_record(
        user=user,
        action=AuditAction.CONSENT_GIVEN,
        resident=resident,
        summary=f"{record.get_purpose_display()} — {record.get_lawful_basis_display()}",
        request=request,
    )
    return record


@transaction.atomic
def consent_withdraw(
    *, user: User, resident: Resident, consent_id: int, reason: str = "", request: Any = None
) -> ConsentRecord:
    record = (
        ConsentRecord.objects.select_for_update().filter(resident=resident, pk=consent_id).first()
    )
    if record is None or record.withdrawn_at is not None:
        raise ConsentError("That consent record is not active.")
    record.withdrawn_at = timezone.now()
    record.withdrawn_by = user
    record.withdrawal_reason = reason
    record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_record(
        user=user,
        action=AuditAction.CONSENT_WITHDRAWN,
        resident=resident,
        summary=record.get_purpose_display(),
        request=request,
    )
    # Inside the transaction: what other apps change because of it commits with it.
    consent_withdrawn.send(
        sender=ConsentRecord, resident=resident, purpose=record.purpose, user=user, request=request
    )
    return record


@transaction.atomic
def equality_record(
    *, user: User, resident: Resident, answers: Mapping[str, str], request: Any = None
) -> EqualityMonitoring:
    """Create or replace the resident's equality answers (blank = not answered)."""
    record, _created = EqualityMonitoring.objects.select_for_update().get_or_create(
        resident=resident, defaults={"recorded_by": user}
    )
    for field, value in answers.items():
        setattr(record, field, value)
    record.recorded_by = user
    record.recorded_at = timezone.now()
    record.save()
    audit_record(
        user=user, action=AuditAction.EQUALITY_RECORDED, resident=resident, request=request
    )
    return record
