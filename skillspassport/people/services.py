"""Writes about residents: registration, details, consent and equality monitoring."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.areas.selectors import areas_for_postcode
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.people.models import ConsentRecord, EqualityMonitoring, Resident
from skillspassport.people.selectors import email_key, name_key, phone_key
from skillspassport.people.signals import consent_withdrawn, resident_changed


class ConsentError(ValueError):
    """A consent change that makes no sense (e.g. withdrawing what is not active)."""


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
    request: Any = None,
) -> Resident:
    """Register a resident. `consents` maps purpose → lawful basis for each purpose agreed.

    `postcode` must already be normalised (forms do this); its areas come from the lookup.
    """
    resident = Resident(organisation=organisation, created_by=user)
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
    for purpose, basis in (consents or {}).items():
        ConsentRecord.objects.create(
            resident=resident, purpose=purpose, lawful_basis=basis, given_by=user
        )
    audit_record(user=user, action=AuditAction.CREATED, resident=resident, request=request)
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
    request: Any = None,
) -> ConsentRecord:
    Resident.objects.select_for_update().filter(pk=resident.pk).first()
    if resident.consents.active().filter(purpose=purpose).exists():
        raise ConsentError("This purpose already has an active record. Withdraw it first.")
    record = ConsentRecord.objects.create(
        resident=resident, purpose=purpose, lawful_basis=lawful_basis, note=note, given_by=user
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
