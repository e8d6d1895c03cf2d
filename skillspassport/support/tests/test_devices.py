"""Devices and data SIMs: a device on loan cannot be issued again in the same council until it
is returned; a device's record can be corrected; every change is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from skillspassport.accounts.models import OrganisationKind
from skillspassport.accounts.tests.factories import OrganisationFactory
from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.support import services
from skillspassport.support.models import Device
from skillspassport.support.services import CaseworkError
from skillspassport.support.tests.helpers import date_post


def open_case(resident, adviser, today):
    return services.case_open(
        actor=adviser,
        resident=resident,
        referral_source="self",
        referred_on=today - timedelta(days=10),
        referring_organisation="Self",
        opened_on=today - timedelta(days=9),
    )


@pytest.fixture
def second_case(council, adviser, today):
    return open_case(ResidentFactory(organisation=council), adviser, today)


def lend(case, adviser, hub, today, serial="PF3X9K2L", **kwargs):
    return services.device_record(
        actor=adviser,
        case=case,
        hub=hub,
        kind=kwargs.pop("kind", "laptop"),
        serial=serial,
        issued_on=kwargs.pop("issued_on", today - timedelta(days=2)),
        arrangement=kwargs.pop("arrangement", "lent"),
        due_back_on=kwargs.pop("due_back_on", today + timedelta(days=60)),
        **kwargs,
    )


def device_post(hub, today, **overrides):
    return {
        "hub": hub.pk,
        "kind": "laptop",
        "serial": "PF3X9K2L",
        **date_post("issued_on", today),
        "arrangement": "lent",
        **date_post("due_back_on", today + timedelta(days=30)),
        "condition": "",
        **overrides,
    }


# --- A device on loan is not lent twice ----------------------------------------------------


def test_the_same_laptop_cannot_be_lent_twice(client, adviser, case, second_case, hub, today):
    lend(case, adviser, hub, today)
    client.force_login(adviser)
    url = reverse("support:device-add", args=[second_case.public_id])
    response = client.post(url, device_post(hub, today, serial=" pf3x 9k2l "))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Serial number or ICCID PF3X9K2L is already on loan") == 2
    assert Device.objects.count() == 1


def test_a_device_on_loan_cannot_be_gifted_either(adviser, case, second_case, hub, today):
    lend(case, adviser, hub, today)
    with pytest.raises(CaseworkError, match="already on loan") as caught:
        lend(second_case, adviser, hub, today, arrangement="gifted", due_back_on=None)
    assert caught.value.field == "serial"
    assert Device.objects.count() == 1


def test_once_returned_the_device_can_be_lent_again(adviser, case, second_case, hub, today):
    device = lend(case, adviser, hub, today)
    services.device_return(actor=adviser, device=device, returned_on=today, condition="Good")
    again = lend(second_case, adviser, hub, today, issued_on=today)
    assert again.serial == "PF3X9K2L"
    assert Device.objects.filter(returned_on__isnull=True).get() == again


def test_another_council_may_use_the_same_serial(adviser, case, hub, today, other_staff):
    lend(case, adviser, hub, today)
    other = other_staff["adviser"]
    council = other.memberships.get().organisation
    other_case = open_case(ResidentFactory(organisation=council), other, today)
    other_hub = OrganisationFactory(kind=OrganisationKind.VOLUNTARY, council=council)
    lend(other_case, other, other_hub, today)
    assert Device.objects.filter(serial="PF3X9K2L").count() == 2


def test_gifted_devices_and_returned_loans_do_not_block(adviser, case, second_case, hub, today):
    lend(
        case,
        adviser,
        hub,
        today,
        serial="8944 1000 0000 0000 042",
        kind="data_sim",
        arrangement="gifted",
        due_back_on=None,
    )
    lend(second_case, adviser, hub, today, serial="8944100000000000042", kind="data_sim")
    assert Device.objects.filter(serial="8944100000000000042").count() == 2


def test_device_cannot_be_issued_in_the_future(adviser, case, hub, today):
    with pytest.raises(CaseworkError, match="today or in the past"):
        lend(case, adviser, hub, today, issued_on=today + timedelta(days=3))
    assert not Device.objects.exists()


# --- Returning ---------------------------------------------------------------------------


def test_return_page_records_date_and_condition(client, adviser, case, hub, today):
    device = lend(case, adviser, hub, today)
    client.force_login(adviser)
    url = reverse("support:device-return", args=[case.public_id, device.pk])
    bad = client.post(url, {**date_post("returned_on", today + timedelta(days=5))})
    assert "Date returned must be in the past" in bad.content.decode()
    client.post(url, {**date_post("returned_on", today), "condition": "Screen cracked"})
    device.refresh_from_db()
    assert (device.returned_on, device.condition) == (today, "Screen cracked")
    again = client.post(url, {**date_post("returned_on", today)}).content.decode()
    assert "This device was returned on" in again


# --- Correcting a device's record ----------------------------------------------------------


def test_edit_a_device(client, adviser, case, hub, today):
    device = lend(case, adviser, hub, today)
    client.force_login(adviser)
    case_page = client.get(reverse("support:case", args=[case.public_id])).content.decode()
    url = reverse("support:device-edit", args=[case.public_id, device.pk])
    assert url in case_page
    form = client.get(url).content.decode()
    assert 'value="PF3X9K2L"' in form
    response = client.post(
        url,
        device_post(
            hub,
            today,
            serial="pf3x9k2m",
            kind="tablet",
            condition="Charger included",
            **date_post("issued_on", device.issued_on),
            **date_post("due_back_on", device.due_back_on),
        ),
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert (device.serial, device.kind, device.condition) == (
        "PF3X9K2M",
        "tablet",
        "Charger included",
    )
    event = AuditEvent.objects.filter(action=AuditAction.DEVICE_RECORDED).latest("id")
    assert event.user == adviser
    assert set(event.fields) == {"serial", "kind", "condition"}


def test_edit_cannot_take_a_serial_on_loan(client, adviser, case, second_case, hub, today):
    lend(case, adviser, hub, today)
    other = lend(second_case, adviser, hub, today, serial="SN-OTHER")
    client.force_login(adviser)
    url = reverse("support:device-edit", args=[second_case.public_id, other.pk])
    page = client.post(url, device_post(hub, today)).content.decode()
    assert "is already on loan" in page
    other.refresh_from_db()
    assert other.serial == "SN-OTHER"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"serial": ""}, "Enter the serial number or ICCID"),
        ({"serial": "x" * 41}, "Serial number or ICCID must be 40 characters or fewer"),
        ({"arrangement": "stolen"}, "Select the lent or gifted from the list"),
        ({"issued_on_0": "31", "issued_on_1": "2"}, "Date issued must be a real date"),
        ({"due_back_on_0": ""}, "Due back must include a day"),
    ],
)
def test_edit_bad_input_keeps_the_record(client, adviser, case, hub, today, overrides, message):
    device = lend(case, adviser, hub, today)
    client.force_login(adviser)
    url = reverse("support:device-edit", args=[case.public_id, device.pk])
    page = client.post(url, device_post(hub, today, **overrides)).content.decode()
    assert message in page, page[:2000]
    device.refresh_from_db()
    assert (device.serial, device.kind) == ("PF3X9K2L", "laptop")


def test_returned_device_cannot_become_a_gift(adviser, case, hub, today):
    device = lend(case, adviser, hub, today)
    services.device_return(actor=adviser, device=device, returned_on=today, condition="")
    with pytest.raises(CaseworkError, match="cannot be recorded as gifted"):
        services.device_update(
            actor=adviser,
            case=case,
            device=device,
            hub=hub,
            kind="laptop",
            serial=device.serial,
            issued_on=device.issued_on,
            arrangement="gifted",
        )


def test_edit_is_refused_to_other_councils_and_on_closed_cases(
    client, adviser, case, hub, today, other_staff
):
    device = lend(case, adviser, hub, today)
    url = reverse("support:device-edit", args=[case.public_id, device.pk])
    client.force_login(other_staff["adviser"])
    assert client.get(url).status_code == 404
    client.force_login(adviser)
    services.device_return(actor=adviser, device=device, returned_on=today, condition="")
    services.case_close(actor=adviser, case=case, outcome="other", closed_on=today)
    response = client.post(url, device_post(hub, today, **date_post("issued_on", device.issued_on)))
    assert "This case is closed" in response.content.decode()
