"""Casework pages and forms: journeys through them, and bad input of every kind getting a
clear message while leaving data intact."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.employers.models import JobStart, SustainmentCheck
from skillspassport.support import services
from skillspassport.support.forms import MAX_RECEIPT_BYTES
from skillspassport.support.models import (
    BudgetPolicy,
    BudgetSpend,
    Case,
    CaseNote,
    Device,
    Goal,
    Placement,
    SpendStatus,
)
from skillspassport.support.tests.helpers import date_post

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
PDF = b"%PDF-1.7\n" + b"0" * 100
HOSTILE = '<script>alert("x")</script>'


@pytest.fixture
def signed_in(client, adviser):
    client.force_login(adviser)
    return client


def page(response):
    return response.content.decode()


# --- Opening a case -----------------------------------------------------------------------


def open_data(today, **overrides):
    data = {
        "referral_source": "jobcentre",
        "referring_organisation": "Bootle Jobcentre",
        "referral_contact": "Work coach J. Smith",
        **date_post("referred_on", today - timedelta(days=2)),
        **date_post("opened_on", today),
    }
    data.update(overrides)
    return data


def test_search_and_open_a_case(signed_in, resident, today):
    found = page(signed_in.get(reverse("support:caseload"), {"q": resident.last_name}))
    url = reverse("support:case-open", args=[resident.public_id])
    assert url in found
    response = signed_in.post(url, open_data(today))
    case = Case.objects.get(resident=resident)
    assert response.status_code == 302
    assert str(case.public_id) in response["Location"]
    assert case.referral_contact == "Work coach J. Smith"
    assert resident.last_name in page(signed_in.get(reverse("support:caseload")))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"referral_source": "", "referring_organisation": ""}, "Select the referral source"),
        ({"referring_organisation": ""}, "Enter the referring organisation"),
        ({"referral_source": "astrology"}, "Select the referral source from the list"),
        ({"referring_organisation": "x" * 201}, "200 characters or fewer"),
        ({"opened_on_0": "31", "opened_on_1": "2"}, "Date the case opens must be a real date"),
        ({"opened_on_2": "20"}, "4-digit year"),
        ({"referred_on_0": ""}, "Referral date must include a day"),
    ],
)
def test_open_case_bad_input(signed_in, resident, today, overrides, message):
    response = signed_in.post(
        reverse("support:case-open", args=[resident.public_id]), open_data(today, **overrides)
    )
    assert response.status_code == 200
    assert message in page(response)
    assert "There is a problem" in page(response)
    assert not Case.objects.exists()


def test_open_case_before_referral(signed_in, resident, today):
    data = open_data(today, **date_post("referred_on", today))
    data.update(date_post("opened_on", today - timedelta(days=1)))
    response = signed_in.post(reverse("support:case-open", args=[resident.public_id]), data)
    assert "must be on or after the referral date" in page(response)
    assert not Case.objects.exists()


def test_open_case_twice(signed_in, case, today):
    response = signed_in.post(
        reverse("support:case-open", args=[case.resident.public_id]), open_data(today)
    )
    assert "already has an open case" in page(response)
    assert Case.objects.count() == 1


def test_hostile_text_is_shown_as_text(signed_in, resident, today):
    signed_in.post(
        reverse("support:case-open", args=[resident.public_id]),
        open_data(today, referring_organisation=HOSTILE),
    )
    case = Case.objects.get()
    signed_in.post(reverse("support:note-add", args=[case.public_id]), {"text": HOSTILE})
    shown = page(signed_in.get(reverse("support:case", args=[case.public_id])))
    assert HOSTILE not in shown
    assert "&lt;script&gt;" in shown
    assert CaseNote.objects.get().text == HOSTILE


# --- Notes, goals, closing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"), [("", "Enter the note"), ("x" * 5001, "5,000 characters or fewer")]
)
def test_note_bad_input(signed_in, case, text, message):
    response = signed_in.post(reverse("support:note-add", args=[case.public_id]), {"text": text})
    assert message in page(response)
    assert not CaseNote.objects.exists()


def test_goal_add_and_status(signed_in, case, today):
    url = reverse("support:goal-add", args=[case.public_id])
    assert "Enter the goal" in page(signed_in.post(url, {"text": ""}))
    signed_in.post(url, {"text": "Update CV", **date_post("target_on", today)})
    goal = Goal.objects.get()
    status_url = reverse("support:goal-status", args=[case.public_id, goal.pk])
    response = signed_in.post(status_url, {"status": "nonsense"}, follow=True)
    assert "Select a goal status from the list" in page(response)
    signed_in.post(status_url, {"status": "in_progress"})
    goal.refresh_from_db()
    assert goal.status == "in_progress"


def test_close_case(signed_in, case, today):
    url = reverse("support:case-close", args=[case.public_id])
    assert "Select the outcome" in page(signed_in.post(url, date_post("closed_on", today)))
    early = date_post("closed_on", case.opened_on - timedelta(days=1))
    assert "on or after" in page(signed_in.post(url, {"outcome": "job_start", **early}))
    signed_in.post(url, {"outcome": "job_start", **date_post("closed_on", today)})
    case.refresh_from_db()
    assert case.outcome == "job_start"
    assert case.closed_on == today
    shown = page(signed_in.get(reverse("support:case", args=[case.public_id])))
    assert "Closed" in shown
    assert "Record a spend" not in shown


def test_reassign_and_review_date(signed_in, case, staff, today):
    url = reverse("support:case-edit", args=[case.public_id])
    response = signed_in.post(url, {"adviser": staff["tutor"].pk})
    assert "Select an adviser from the list" in page(response)
    signed_in.post(
        url,
        {"adviser": staff["administrator"].pk, **date_post("next_review_on", today)},
    )
    case.refresh_from_db()
    assert case.adviser == staff["administrator"]
    assert case.next_review_on == today


# --- Budget spends ------------------------------------------------------------------------


def spend_data(today, **overrides):
    data = {
        "category": "travel",
        "amount": "12.50",
        "description": "Weekly bus pass",
        **date_post("spent_on", today),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "Enter the amount"),
        ("-5", "Amount must be more than £0"),
        ("0", "Amount must be more than £0"),
        ("0.00", "Amount must be more than £0"),
        ("ten pounds", "Amount must be an amount of money, like 250 or 250.50"),
        ("NaN", "Amount must be an amount of money"),
        ("1e3", "Amount must be an amount of money"),
        ("12.345", "Amount must have no more than 2 decimal places"),
        ("99999999999", "Amount must be £10,000.00 or less"),
        ("9" * 30, "Amount must be £10,000.00 or less"),
        ("600", "Amount must be £500.00 or less"),
    ],
)
def test_spend_amount_bad_input(signed_in, case, today, amount, message):
    response = signed_in.post(
        reverse("support:spend-add", args=[case.public_id]), spend_data(today, amount=amount)
    )
    assert response.status_code == 200
    assert message in page(response), page(response)[:3000]
    assert not BudgetSpend.objects.exists()


def test_spend_with_pound_sign_and_comma(signed_in, case, today):
    signed_in.post(
        reverse("support:spend-add", args=[case.public_id]), spend_data(today, amount="£1,00.00")
    )
    assert BudgetSpend.objects.get().amount == Decimal("100.00")


def test_spend_above_threshold_waits_and_is_approved_by_a_manager(
    signed_in, client, case, staff, today
):
    response = signed_in.post(
        reverse("support:spend-add", args=[case.public_id]),
        spend_data(today, amount="250.00", category="equipment"),
        follow=True,
    )
    assert "awaiting approval" in page(response)
    spend = BudgetSpend.objects.get()
    assert spend.status == SpendStatus.AWAITING
    client.force_login(staff["programme_manager"])
    queue = page(client.get(reverse("support:approvals")))
    assert "Weekly bus pass" in queue
    url = reverse("support:approval-decide", args=[spend.pk])
    assert "Enter the reason for refusing" in page(client.post(url, {"decision": "refuse"}))
    client.post(url, {"decision": "approve"})
    spend.refresh_from_db()
    assert spend.status == SpendStatus.APPROVED
    assert spend.decided_by == staff["programme_manager"]
    assert "Nothing is awaiting approval" in page(client.get(reverse("support:approvals")))


def test_receipt_stored_privately_and_download_is_audited(signed_in, case, today, media_root):
    signed_in.post(
        reverse("support:spend-add", args=[case.public_id]),
        {**spend_data(today), "receipt": SimpleUploadedFile("../../etc/bus.png", PNG)},
    )
    spend = BudgetSpend.objects.get()
    assert spend.receipt.name.startswith("private/receipts/")
    assert spend.receipt.name.endswith(".png")
    assert "etc" not in spend.receipt.name
    assert (media_root / spend.receipt.name).read_bytes() == PNG
    for guess in ("/" + spend.receipt.name, "/media/" + spend.receipt.name):
        assert signed_in.get(guess).status_code == 404
    response = signed_in.get(reverse("support:receipt", args=[spend.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PNG
    assert AuditEvent.objects.filter(action=AuditAction.RECEIPT_VIEWED).count() == 1


def test_pdf_receipt_accepted(signed_in, case, today):
    signed_in.post(
        reverse("support:spend-add", args=[case.public_id]),
        {**spend_data(today), "receipt": SimpleUploadedFile("r.pdf", PDF)},
    )
    assert BudgetSpend.objects.get().receipt_type == "application/pdf"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf"), "must be a PDF, JPEG or PNG"),
        (SimpleUploadedFile("page.png", HOSTILE.encode()), "must be a PDF, JPEG or PNG"),
        (
            SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * MAX_RECEIPT_BYTES),
            "The receipt must be 5 MB or smaller",
        ),
        (SimpleUploadedFile("empty.png", b""), "The receipt is empty"),
    ],
)
def test_bad_receipts(signed_in, case, today, media_root, upload, message):
    response = signed_in.post(
        reverse("support:spend-add", args=[case.public_id]),
        {**spend_data(today), "receipt": upload},
    )
    assert message in page(response)
    assert not BudgetSpend.objects.exists()
    assert not any(media_root.rglob("*.*")) if media_root.exists() else True


def test_cancel_spend(signed_in, case, adviser, today):
    spend = services.budget_spend_record(
        actor=adviser,
        case=case,
        category="travel",
        amount=Decimal("20"),
        description="Bus",
        spent_on=today,
    )
    signed_in.post(reverse("support:spend-cancel", args=[case.public_id, spend.pk]))
    spend.refresh_from_db()
    assert spend.status == SpendStatus.CANCELLED
    response = signed_in.post(
        reverse("support:spend-cancel", args=[case.public_id, spend.pk]), follow=True
    )
    assert "already been cancelled" in page(response)


def test_case_page_shows_remaining_balance(signed_in, case, adviser, today):
    services.budget_spend_record(
        actor=adviser,
        case=case,
        category="travel",
        amount=Decimal("80.25"),
        description="Bus",
        spent_on=today,
    )
    shown = page(signed_in.get(reverse("support:case", args=[case.public_id])))
    assert "£419.75" in shown


# --- Budget policy ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"cap": "", "approval_threshold": "100"}, "Enter the cap per person"),
        ({"cap": "abc", "approval_threshold": "100"}, "Cap per person must be an amount of money"),
        ({"cap": "300", "approval_threshold": "400"}, "must not be more than the cap"),
        ({"cap": "300", "approval_threshold": "-1"}, "Approval threshold cannot be negative"),
        ({"cap": "300.001", "approval_threshold": "1"}, "must have no more than 2 decimal places"),
    ],
)
def test_policy_bad_input(client, staff, data, message):
    client.force_login(staff["administrator"])
    response = client.post(reverse("support:budget-policy"), data)
    assert message in page(response)
    assert not BudgetPolicy.objects.exists()


def test_policy_saved(client, staff, council):
    client.force_login(staff["administrator"])
    client.post(reverse("support:budget-policy"), {"cap": "750", "approval_threshold": "0"})
    policy = BudgetPolicy.objects.get(council=council)
    assert policy.cap == Decimal("750.00")
    assert policy.approval_threshold == 0


# --- Devices, placements, job starts ------------------------------------------------------


def test_device_forms(signed_in, case, hub, today):
    url = reverse("support:device-add", args=[case.public_id])
    base = {"hub": hub.pk, "kind": "laptop", "serial": "SN-1", **date_post("issued_on", today)}
    assert "Enter the date a lent device is due back" in page(
        signed_in.post(url, {**base, "arrangement": "lent"})
    )
    assert "Enter the serial number or ICCID" in page(
        signed_in.post(url, {**base, "serial": "", "arrangement": "gifted"})
    )
    assert "Select a hub or organisation from the list" in page(
        signed_in.post(url, {**base, "hub": 999999, "arrangement": "gifted"})
    )
    assert not Device.objects.exists()
    signed_in.post(
        url, {**base, "arrangement": "lent", **date_post("due_back_on", today + timedelta(30))}
    )
    device = Device.objects.get()
    back = reverse("support:device-return", args=[case.public_id, device.pk])
    signed_in.post(back, {**date_post("returned_on", today), "condition": "Good"})
    device.refresh_from_db()
    assert device.returned_on == today


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"hourly_wage": "0"}, "Hourly wage must be more than £0"),
        ({"hourly_wage": "-3"}, "Hourly wage must be more than £0"),
        ({"weeks": "0"}, "Number of weeks must be 1 or more"),
        ({"weeks": "many"}, "Number of weeks must be a whole number"),
        ({"hours_per_week": "100"}, "Hours per week must be 48 or fewer"),
        ({"employer_name": ""}, "Select a scheme employer or enter the employer name"),
        ({"role_title": HOSTILE * 10}, "Role must be 150 characters or fewer"),
    ],
)
def test_placement_bad_input(signed_in, case, today, overrides, message):
    data = {
        "employer_name": "Bootle Cafe",
        "role_title": "Barista",
        "weeks": "8",
        "hours_per_week": "16",
        "hourly_wage": "12.21",
        "outcome": "ongoing",
        **date_post("starts_on", today),
        **date_post("ends_on", today + timedelta(weeks=8)),
    }
    url = reverse("support:placement-add", args=[case.public_id])
    data.update(overrides)
    response = signed_in.post(url, data)
    assert message in page(response)
    assert not Placement.objects.exists()


def test_placement_end_before_start(signed_in, case, employer, today):
    data = {
        "employer": employer.pk,
        "role_title": "Picker",
        "weeks": "8",
        "hours_per_week": "16",
        "hourly_wage": "12.21",
        "outcome": "ongoing",
        **date_post("starts_on", today),
        **date_post("ends_on", today),
    }
    url = reverse("support:placement-add", args=[case.public_id])
    assert "End date must be after the start date" in page(signed_in.post(url, data))
    data.update(date_post("ends_on", today + timedelta(weeks=8)))
    signed_in.post(url, data)
    assert Placement.objects.get().employer_name == "Dockside Logistics Ltd"


def test_job_start_and_sustainment_check(signed_in, case, today):
    url = reverse("support:job-start-add", args=[case.public_id])
    data = {
        "employer_name": "Bootle Bakery",
        "role_title": "Baker",
        "contract": "permanent",
        "hours_per_week": "30",
        "hourly_wage": "",
        **date_post("started_on", today),
    }
    assert "Hours per week must be 80 or fewer" in page(
        signed_in.post(url, {**data, "hours_per_week": "81"})
    )
    assert not JobStart.objects.exists()
    signed_in.post(url, data)
    job = JobStart.objects.get()
    assert job.case_link.case == case
    check = SustainmentCheck.objects.get(job_start=job, weeks=13)
    shown = page(signed_in.get(reverse("support:case", args=[case.public_id])))
    assert "13-week check" in shown
    assert "26-week check" in shown
    record = reverse("support:check-record", args=[check.pk])
    assert "Select the result of the check" in page(
        signed_in.post(record, date_post("checked_on", today))
    )
    # Dated the start day, "still in work" is refused: the check falls due in 13 weeks.
    refused = page(signed_in.post(record, {"outcome": "in_work", **date_post("checked_on", today)}))
    assert f"falls due on {check.due_on:%-d %B %Y}" in refused
    check.refresh_from_db()
    assert check.outcome == ""
    signed_in.post(record, {"outcome": "not_in_work", **date_post("checked_on", today)})
    check.refresh_from_db()
    assert check.outcome == "not_in_work"
    assert "already recorded" in page(
        signed_in.post(record, {"outcome": "not_in_work", **date_post("checked_on", today)})
    )


def test_placement_outcome_changed(signed_in, case, adviser, today):
    placement = services.placement_record(
        actor=adviser,
        case=case,
        employer=None,
        employer_name="Bootle Cafe",
        role_title="Barista",
        weeks=4,
        hours_per_week=Decimal("16"),
        hourly_wage=Decimal("12.21"),
        starts_on=today,
        ends_on=today + timedelta(weeks=4),
    )
    url = reverse("support:placement-outcome", args=[case.public_id, placement.pk])
    assert "Select the outcome from the list" in page(signed_in.post(url, {"outcome": "x"}))
    signed_in.post(url, {"outcome": "completed"})
    placement.refresh_from_db()
    assert placement.outcome == "completed"
