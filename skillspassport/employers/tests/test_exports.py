"""The referrals to an employer as a download, for its contact: only its own, and names only
while the resident still agrees to be put forward."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.employers import services
from skillspassport.employers.tests.conftest import make_resident
from skillspassport.people import services as people_services
from skillspassport.people.models import ConsentPurpose


def rows(client, employer, fmt="csv"):
    response = client.get(reverse("employers:referrals-export", args=[employer.pk, fmt]))
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_contact_downloads_the_referrals_made_to_their_employer(
    client, contact, employer, opportunity, council, adviser
):
    resident = make_resident(council, adviser, digital="silver")
    services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    client.force_login(contact)
    header, row = rows(client, employer)
    assert header[:4] == ["Person", "Opportunity", "Referred on", "Stage"]
    assert row[0] == resident.full_name
    assert row[1] == "Warehouse administrator"
    assert AuditEvent.objects.filter(
        user=contact, resident=resident, action=AuditAction.LISTED
    ).exists()

    xlsx = client.get(reverse("employers:referrals-export", args=[employer.pk, "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_withdrawn_consent_hides_the_name_in_the_download(
    client, contact, employer, opportunity, council, adviser
):
    resident = make_resident(council, adviser, digital="silver")
    services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    consent = resident.consents.get(purpose=ConsentPurpose.PUT_FORWARD)
    people_services.consent_withdraw(user=adviser, resident=resident, consent_id=consent.pk)
    client.force_login(contact)
    _header, row = rows(client, employer)
    assert row[0] == "Consent withdrawn"
    assert (
        resident.full_name
        not in client.get(
            reverse("employers:referrals-export", args=[employer.pk, "csv"])
        ).content.decode()
    )


def test_another_employers_contact_cannot_download(client, other_contact, employer):
    client.force_login(other_contact)
    response = client.get(reverse("employers:referrals-export", args=[employer.pk, "csv"]))
    assert response.status_code == 404
