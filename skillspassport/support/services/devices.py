"""Writes about devices and data SIMs a resident is lent or given: recording one, changing its
record, and its return.

A device on loan (lent and not yet returned) cannot be issued again in the same council until
it is returned: its serial number (or a SIM's ICCID), compared without spaces or case, is
checked against the council's devices on loan while the council's row is locked, so two
advisers issuing the same laptop at the same moment are checked one after the other.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.support.models import Case, Device, DeviceArrangement
from skillspassport.support.services.cases import CaseworkError, require_open


def normalise_serial(serial: str) -> str:
    """'  ab 12 cd ' -> 'AB12CD': serial numbers and ICCIDs without spaces, in capitals."""
    return "".join(serial.split()).upper()


def _council_of(case: Case) -> Organisation:
    organisation = case.organisation
    return organisation.scheme_council or organisation


def _refuse_if_on_loan(*, case: Case, serial: str, excluding: int | None = None) -> None:
    """Lock the council's row, then refuse a serial already out on loan in the council."""
    council = _council_of(case)
    Organisation.objects.select_for_update().filter(pk=council.pk).first()
    loans = Device.objects.filter(
        serial__iexact=serial, arrangement=DeviceArrangement.LENT, returned_on__isnull=True
    ).filter(Q(case__organisation=council) | Q(case__organisation__council=council))
    if excluding is not None:
        loans = loans.exclude(pk=excluding)
    on_loan = loans.first()
    if on_loan is not None:
        raise CaseworkError(
            f"Serial number or ICCID {serial} is already on loan (issued on "
            f"{on_loan.issued_on:%-d %B %Y}): record its return before it is issued again",
            field="serial",
        )


def _check_dates(
    *,
    arrangement: str,
    issued_on: date,
    due_back_on: date | None,
    returned_on: date | None,
) -> None:
    if issued_on > timezone.localdate():
        raise CaseworkError("Date issued must be today or in the past", field="issued_on")
    if arrangement == DeviceArrangement.LENT and due_back_on is None:
        raise CaseworkError("Enter the date a lent device is due back", field="due_back_on")
    if due_back_on is not None and due_back_on <= issued_on:
        raise CaseworkError("Due back must be after the date issued", field="due_back_on")
    if returned_on is not None and returned_on < issued_on:
        raise CaseworkError(
            f"Date issued must be on or before {returned_on:%-d %B %Y}, when it was returned",
            field="issued_on",
        )


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
    serial = normalise_serial(serial)
    if not serial:
        raise CaseworkError("Enter the serial number or ICCID", field="serial")
    if arrangement == DeviceArrangement.GIFTED:
        due_back_on = None
    _check_dates(
        arrangement=arrangement, issued_on=issued_on, due_back_on=due_back_on, returned_on=None
    )
    _refuse_if_on_loan(case=case, serial=serial)
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


EDITABLE = ("hub", "kind", "serial", "issued_on", "arrangement", "due_back_on", "condition")


@transaction.atomic
def device_update(
    *,
    actor: User,
    case: Case,
    device: Device,
    hub: Organisation,
    kind: str,
    serial: str,
    issued_on: date,
    arrangement: DeviceArrangement | str,
    due_back_on: date | None = None,
    condition: str = "",
    request: HttpRequest | None = None,
) -> Device:
    """Correct a device's record (from an open case of its resident). A returned device stays
    lent; one on loan keeps the rule that its serial is not on loan twice."""
    require_open(case)
    device = Device.objects.select_for_update().select_related("case").get(pk=device.pk)
    serial = normalise_serial(serial)
    if not serial:
        raise CaseworkError("Enter the serial number or ICCID", field="serial")
    if device.returned_on is not None and arrangement != DeviceArrangement.LENT:
        raise CaseworkError(
            "This device was lent and returned, so it cannot be recorded as gifted",
            field="arrangement",
        )
    if arrangement == DeviceArrangement.GIFTED:
        due_back_on = None
    _check_dates(
        arrangement=arrangement,
        issued_on=issued_on,
        due_back_on=due_back_on,
        returned_on=device.returned_on,
    )
    if arrangement == DeviceArrangement.LENT and device.returned_on is None:
        _refuse_if_on_loan(case=device.case, serial=serial, excluding=device.pk)
    before = {name: getattr(device, name) for name in EDITABLE}
    device.hub = hub
    device.kind = kind
    device.serial = serial
    device.issued_on = issued_on
    device.arrangement = arrangement
    device.due_back_on = due_back_on
    device.condition = condition
    changed = [name for name in EDITABLE if getattr(device, name) != before[name]]
    if changed:
        device.save(update_fields=changed)
        audit_record(
            user=actor,
            action=AuditAction.DEVICE_RECORDED,
            resident=case.resident,
            summary=f"Changed the record of a {device.get_kind_display().lower()}",
            fields=changed,
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
            f"The return date must be on or after {device.issued_on:%-d %B %Y}, when it was issued",
            field="returned_on",
        )
    if returned_on > timezone.localdate():
        raise CaseworkError("Date returned must be today or in the past", field="returned_on")
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
