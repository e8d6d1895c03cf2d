"""Writes about devices and data SIMs a resident is lent or given, and their return."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import HttpRequest

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.support.models import Case, Device, DeviceArrangement
from skillspassport.support.services.cases import CaseworkError, require_open


@transaction.atomic
def device_record(
    *,
    actor: User,
    case: Case,
    hub: Organisation,
    kind: str,
    serial: str,
    issued_on: date,
    arrangement: DeviceArrangement | str,
    due_back_on: date | None = None,
    condition: str = "",
    request: HttpRequest | None = None,
) -> Device:
    require_open(case)
    if arrangement == DeviceArrangement.GIFTED:
        due_back_on = None
    device = Device.objects.create(
        case=case,
        hub=hub,
        kind=kind,
        serial=serial,
        issued_on=issued_on,
        arrangement=arrangement,
        due_back_on=due_back_on,
        condition=condition,
        recorded_by=actor,
    )
    audit_record(
        user=actor,
        action=AuditAction.DEVICE_RECORDED,
        resident=case.resident,
        summary=f"{device.get_kind_display()} {device.get_arrangement_display().lower()}",
        request=request,
    )
    return device


@transaction.atomic
def device_return(
    *,
    actor: User,
    device: Device,
    returned_on: date,
    condition: str,
    request: HttpRequest | None = None,
) -> Device:
    device = Device.objects.select_for_update().select_related("case__resident").get(pk=device.pk)
    if device.arrangement != DeviceArrangement.LENT:
        raise CaseworkError("A gifted device is not returned")
    if device.returned_on is not None:
        raise CaseworkError(f"This device was returned on {device.returned_on:%-d %B %Y}")
    if returned_on < device.issued_on:
        raise CaseworkError(
            f"The return date must be on or after {device.issued_on:%-d %B %Y}, when it was issued"
        )
    device.returned_on = returned_on
    device.condition = condition
    device.save(update_fields=["returned_on", "condition"])
    audit_record(
        user=actor,
        action=AuditAction.DEVICE_RECORDED,
        resident=device.case.resident,
        summary=f"{device.get_kind_display()} returned",
        request=request,
    )
    return device
