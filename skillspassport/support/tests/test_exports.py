"""Downloads of the caseload and of referrals in: what is in them, who may have them, that
they are recorded, and that a spreadsheet cannot be made to run a resident's text."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.urls import reverse
from openpyxl import load_workbook

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.support import services


def rows_of(response):
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(response.content.decode())))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [
        [("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)
    ]


def test_adviser_downloads_their_caseload_as_csv_and_xlsx(client, adviser, case):
    client.force_login(adviser)
    for fmt, kind in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats")):
        response = client.get(reverse("support:caseload-export", args=[fmt]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith(kind)
        assert f'.{fmt}"' in response["Content-Disposition"]
        header, *rows = rows_of(response)
        assert header[:5] == ["Resident", "Date of birth", "Postcode", "Email", "Phone"]
        assert len(rows) == 1
        assert rows[0][0] == case.resident.full_name
        assert rows[0][3] == case.resident.email
        assert "Bootle Jobcentre" in rows[0]


def test_caseload_download_is_recorded_as_a_contact_export(client, adviser, case):
    client.force_login(adviser)
    client.get(reverse("support:caseload-export", args=["csv"]))
    event = AuditEvent.objects.get(
        user=adviser, resident=case.resident, action=AuditAction.CONTACTS_EXPORTED
    )
    assert "Caseload downloaded (CSV)" in event.summary


def test_caseload_download_holds_only_the_advisers_own_open_cases(
    client, adviser, case, staff, council, today
):
    colleague = staff["administrator"]
    theirs = services.case_open(
        actor=colleague,
        resident=ResidentFactory(organisation=council, last_name="Colleaguecase"),
        referral_source="self",
        referred_on=today - timedelta(days=3),
        referring_organisation="Walk-in",
        opened_on=today,
    )
    client.force_login(adviser)
    body = client.get(reverse("support:caseload-export", args=["csv"])).content.decode()
    assert case.resident.full_name in body
    assert theirs.resident.full_name not in body


def test_formulas_in_residents_text_are_defused(client, adviser, council, today):
    hostile = ResidentFactory(
        organisation=council, first_name='=HYPERLINK("http://x")', last_name="Smith"
    )
    services.case_open(
        actor=adviser,
        resident=hostile,
        referral_source="other",
        referred_on=today,
        referring_organisation="+44 Org",
        referral_contact="@contact",
        opened_on=today,
    )
    client.force_login(adviser)
    for name in ("support:caseload-export", "support:referrals-export"):
        for fmt in ("csv", "xlsx"):
            _header, row = rows_of(client.get(reverse(name, args=[fmt])))
            assert row[0].startswith("'=HYPERLINK")
            assert "'+44 Org" in row
            assert not any(cell.startswith(("=", "+", "@")) for cell in row)


def test_referrals_in_download_says_which_are_picked_up(client, adviser, case, today):
    client.force_login(adviser)
    header, row = rows_of(client.get(reverse("support:referrals-export", args=["csv"])))
    assert row[header.index("Picked up")] == "no"
    services.case_note_add(actor=adviser, case=case, text="Met at the Jobcentre.")
    header, row = rows_of(client.get(reverse("support:referrals-export", args=["xlsx"])))
    assert row[header.index("Picked up")] == "yes"
    assert row[header.index("Referred by")] == "Jobcentre Plus"


def test_referrals_in_are_only_those_of_the_users_service(client, adviser, case, other_staff):
    client.force_login(other_staff["adviser"])
    body = client.get(reverse("support:referrals-export", args=["csv"])).content.decode()
    assert case.resident.full_name not in body


def test_people_who_do_not_work_on_cases_cannot_download(client, staff, case):
    for role in ("viewer", "analyst", "councillor", "tutor", "employer_contact"):
        client.force_login(staff[role])
        for name in ("support:caseload-export", "support:referrals-export"):
            assert client.get(reverse(name, args=["csv"])).status_code == 403, role


def test_an_unknown_format_is_not_found(client, adviser, case):
    client.force_login(adviser)
    assert client.get("/support/caseload.pdf").status_code == 404


def test_caseload_page_links_to_the_downloads(client, adviser, case):
    client.force_login(adviser)
    body = client.get(reverse("support:caseload")).content.decode()
    assert reverse("support:caseload-export", args=["csv"]) in body
    assert reverse("support:referrals-export", args=["xlsx"]) in body
