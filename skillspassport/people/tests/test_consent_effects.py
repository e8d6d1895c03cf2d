"""Withdrawing each consent purpose changes what each role sees, at once.

One resident of the Sefton scheme agrees to every purpose; each test shows, role by role, what
is seen before a withdrawal and what is seen straight after it (no job, no cache, no delay).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from skillspassport.accounts.models import OrganisationKind, Role
from skillspassport.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.employers import services as employer_services
from skillspassport.employers.models import OpportunityType, ReferralStatus, WithdrawalCause
from skillspassport.employers.services import EmployerError
from skillspassport.people.models import ConsentPurpose, ConsentRecord
from skillspassport.people.services import consent_withdraw
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import PassportLevel
from skillspassport.targeting.models import TargetingPlan, TargetingRun
from skillspassport.training import services as training_services

EVERY_PURPOSE = {purpose.value: "consent" for purpose in ConsentPurpose}
NAME = "Zebedee"
EMAIL = "zebedee.consent@example.org"
PASSPORT = '<h2 class="govuk-heading-m">Passport</h2>'


def withdraw(resident, purpose, user):
    record = ConsentRecord.objects.active().get(resident=resident, purpose=purpose)
    consent_withdraw(user=user, resident=resident, consent_id=record.pk, reason="Asked to")


def text(client, url, **params):
    response = client.get(url, params)
    return response.status_code, response.content.decode()


@pytest.fixture
def resident(council, adviser):
    person = ResidentFactory(
        organisation=council,
        user=adviser,
        first_name=NAME,
        last_name="Okafor",
        email=EMAIL,
        phone="07700 900123",
        postcode="L20 1AD",
        consents=EVERY_PURPOSE,
    )
    PassportLevel.objects.create(resident=person, strand_code="digital", level="silver")
    return person


# --- Be put forward to employers ---------------------------------------------------------------


@pytest.fixture
def employer(council, adviser):
    return employer_services.employer_create(
        actor=adviser, council=council, name="Dockside Logistics Ltd", sector="H", size_band="small"
    )


@pytest.fixture
def contact(employer):
    user = UserFactory(email="priya@dockside.test", full_name="Priya Shah")
    MembershipFactory(user=user, organisation=employer, role=Role.EMPLOYER_CONTACT)
    return user


def make_opportunity(employer, adviser, title="Warehouse administrator"):
    return employer_services.opportunity_create(
        actor=adviser,
        employer=employer,
        title=title,
        opportunity_type=OpportunityType.JOB,
        places=2,
        closing_on=timezone.localdate() + timedelta(days=30),
        minimum={"digital": "silver"},
    )


@pytest.fixture
def opportunity(employer, adviser):
    return make_opportunity(employer, adviser)


def test_put_forward_withdrawn_employer_loses_the_resident_and_the_referral_closes(
    client, resident, adviser, contact, employer, opportunity
):
    referral = employer_services.referral_create(
        actor=adviser, opportunity=opportunity, resident=resident
    )
    referral_url = reverse("employers:referral", args=[referral.pk])
    employer_url = reverse("employers:detail", args=[employer.pk])
    client.force_login(contact)
    status, page = text(client, referral_url)
    assert status == 200
    assert NAME in page
    assert EMAIL in page
    assert PASSPORT in page
    assert NAME in text(client, employer_url)[1]

    withdraw(resident, ConsentPurpose.PUT_FORWARD, adviser)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    assert referral.withdrawn_stage == ReferralStatus.REFERRED
    assert referral.withdrawal_cause == WithdrawalCause.CONSENT
    assert AuditEvent.objects.filter(
        action=AuditAction.REFERRAL_UPDATED, resident_id=resident.pk, summary__contains="consent"
    ).exists()
    # The employer: "Consent withdrawn", no name, contact details or passport, anywhere.
    status, page = text(client, referral_url)
    assert status == 200
    assert "Consent withdrawn" in page
    for detail in (NAME, EMAIL, "07700", PASSPORT):
        assert detail not in page
    for url in (employer_url, reverse("employers:opportunity", args=[opportunity.pk])):
        status, page = text(client, url)
        assert status == 200
        assert NAME not in page
        assert "Consent withdrawn" in page
    assert client.post(referral_url, {"withdraw": "1", "w-reason": "x"}).status_code == 403
    # Staff keep the record for casework, and see why the referral closed.
    client.force_login(adviser)
    status, page = text(client, referral_url)
    assert status == 200
    assert NAME in page
    assert "withdrew consent" in page
    # Nobody can put them forward again, and they drop out of the matches.
    with pytest.raises(EmployerError, match="has not agreed to be put forward"):
        employer_services.referral_create(
            actor=adviser,
            opportunity=make_opportunity(employer, adviser, "Other"),
            resident=resident,
        )
    status, page = text(client, reverse("employers:opportunity", args=[opportunity.pk]))
    assert "Residents who qualify" in page
    assert f'Refer<span class="govuk-visually-hidden"> {NAME}' not in page


def test_put_forward_withdrawn_after_a_start_keeps_the_outcome_but_hides_the_person(
    client, resident, adviser, contact, opportunity
):
    referral = employer_services.referral_create(
        actor=adviser, opportunity=opportunity, resident=resident
    )
    today = timezone.localdate()
    employer_services.referral_progress(actor=adviser, referral=referral, stage="offered", on=today)
    employer_services.referral_progress(
        actor=adviser, referral=referral, stage="started", on=today, hours_per_week=Decimal("30")
    )
    referral.refresh_from_db()
    check = referral.job_start.checks.order_by("weeks").first()
    check.due_on = today
    check.save(update_fields=["due_on"])
    client.force_login(contact)
    assert NAME in text(client, reverse("employers:checks-due"))[1]
    assert client.get(reverse("employers:check", args=[check.pk])).status_code == 200

    withdraw(resident, ConsentPurpose.PUT_FORWARD, adviser)

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.STARTED  # the job outcome still counts
    status, page = text(client, reverse("employers:referral", args=[referral.pk]))
    assert status == 200
    assert "Consent withdrawn" in page
    assert NAME not in page
    assert NAME not in text(client, reverse("employers:checks-due"))[1]
    assert client.get(reverse("employers:check", args=[check.pk])).status_code == 404
    client.force_login(adviser)  # staff still run the sustainment checks
    assert NAME in text(client, reverse("employers:checks-due"))[1]


def test_a_withdrawn_referral_no_longer_shows_the_resident_to_the_employer(
    client, resident, adviser, contact, opportunity
):
    referral = employer_services.referral_create(
        actor=adviser, opportunity=opportunity, resident=resident
    )
    employer_services.referral_withdraw(actor=adviser, referral=referral, reason="Found work")
    client.force_login(contact)
    status, page = text(client, reverse("employers:referral", args=[referral.pk]))
    assert status == 200
    assert "Referral withdrawn" in page
    assert NAME not in page
    assert EMAIL not in page


# --- Share my record with training providers ---------------------------------------------------


@pytest.fixture
def provider(council):
    return OrganisationFactory(
        name="Bootle Adult Learning", kind=OrganisationKind.PROVIDER, council=council
    )


@pytest.fixture
def tutor(provider):
    user = UserFactory(email="tutor@bootle.test", full_name="Grace Tutor")
    MembershipFactory(user=user, organisation=provider, role=Role.TUTOR)
    return user


@pytest.fixture
def cohort(provider, tutor):
    from skillspassport.skills.models import Descriptor, LevelRuleSet, ScaleStep

    framework = LevelRuleSet.objects.get(name="default").framework
    course = training_services.course_save(
        actor=tutor,
        provider=provider,
        title="Get online",
        description="",
        descriptors=list(
            Descriptor.objects.filter(
                framework=framework, area__strand__code="digital", level__code="foundation"
            )
        ),
        level=ScaleStep.objects.get(
            strand__framework=framework, strand__code="digital", code="foundation"
        ),
        delivery_mode="in_person",
        funding_source="asf",
        hours=12,
    )
    start = timezone.localdate() + timedelta(days=7)
    return training_services.cohort_create(
        actor=tutor,
        course=course,
        venue_name="Bootle Library",
        venue_postcode="L20 1AD",
        start_date=start,
        end_date=start + timedelta(weeks=6),
        capacity=5,
        waiting_list_open=True,
        tutor=tutor,
        targeting_plan=None,
    )


def test_share_providers_withdrawn_the_provider_can_no_longer_find_the_resident(
    client, resident, adviser, tutor, cohort, other_council
):
    enrol = reverse("training:enrol", args=[cohort.pk])
    learner = reverse("training:learner", args=[resident.public_id])
    client.force_login(tutor)
    status, page = text(client, enrol, q=NAME)
    found = f'value="{resident.public_id}"'  # the enrol button for them
    assert status == 200
    assert found in page
    assert "Shared record" in page
    status, page = text(client, learner)
    assert status == 200
    assert NAME in page
    assert "Email" in page
    assert EMAIL not in page
    assert "1985" not in page
    # Sharing with providers is not the whole record.
    assert client.get(reverse("people:detail", args=[resident.public_id])).status_code == 404
    # A provider in another council's scheme never finds them.
    elsewhere = OrganisationFactory(
        name="Knowsley Learning", kind=OrganisationKind.PROVIDER, council=other_council
    )
    stranger = UserFactory(email="tutor@knowsley.test")
    MembershipFactory(user=stranger, organisation=elsewhere, role=Role.TUTOR)
    client.force_login(stranger)
    assert client.get(learner).status_code == 404

    withdraw(resident, ConsentPurpose.SHARE_PROVIDERS, adviser)

    client.force_login(tutor)
    status, page = text(client, enrol, q=NAME)
    assert status == 200
    assert found not in page
    assert "No residents you may see match" in page
    assert client.get(learner).status_code == 404
    response = client.post(enrol, {"resident": str(resident.public_id)})
    assert response.status_code == 404
    assert not cohort.enrolments.exists()
    client.force_login(adviser)  # the council's own staff are unaffected
    assert client.get(reverse("people:detail", args=[resident.public_id])).status_code == 200


def test_share_providers_withdrawn_a_learner_already_on_the_course_stays(
    client, resident, adviser, tutor, cohort
):
    client.force_login(tutor)
    response = client.post(
        reverse("training:enrol", args=[cohort.pk]), {"resident": str(resident.public_id)}
    )
    assert response.status_code == 302
    assert cohort.enrolments.get().resident == resident

    withdraw(resident, ConsentPurpose.SHARE_PROVIDERS, adviser)

    assert NAME in text(client, reverse("training:cohort", args=[cohort.pk]))[1]
    status, page = text(client, reverse("training:learner", args=[resident.public_id]))
    assert status == 200
    assert "Get online" in page
    # Once their place ends (here: withdrawn), the provider loses them too.
    training_services.enrolment_withdraw(
        actor=tutor, enrolment=cohort.enrolments.get(), reason="Moved away"
    )
    assert client.get(reverse("training:learner", args=[resident.public_id])).status_code == 404


# --- Be contacted -----------------------------------------------------------------------------


@pytest.fixture
def plan(council, adviser):
    run = TargetingRun.objects.create(
        council=council,
        method={"label": "Test", "version": "t"},
        base="council",
        datasets=[],
        results=[{"area": "E01007009", "rank": 1, "explanation": ""}],
        created_by=adviser,
    )
    return TargetingPlan.objects.create(
        council=council,
        run=run,
        name="Linacre",
        rationale="Need",
        area_codes=["E01007009"],  # Linacre, where L20 1AD is
        created_by=adviser,
    )


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_contact_withdrawn_between_viewing_and_downloading_leaves_them_out(
    client, council, resident, adviser, plan
):
    council.local_authority_code = "E08000014"
    council.save()
    url = reverse("targeting:plan", args=[plan.pk])
    client.force_login(adviser)
    status, page = text(client, url)
    assert status == 200
    assert NAME in page
    assert "Download the outreach list" in page
    assert EMAIL in [row[2] for row in rows(client.get(url, {"format": "csv"}))]

    withdraw(resident, ConsentPurpose.CONTACT, adviser)

    export = rows(client.get(url, {"format": "csv"}))
    assert len(export) == 1  # the heading only
    assert NAME not in text(client, url)[1]


def test_only_roles_that_export_contacts_download_them(
    client, council, staff, resident, adviser, plan
):
    council.local_authority_code = "E08000014"
    council.save()
    resident.first_name = "=HYPERLINK(1)"
    resident.save(update_fields=["first_name"])
    url = reverse("targeting:plan", args=[plan.pk])
    for role in ("administrator", "adviser"):
        client.force_login(staff[role])
        response = client.get(url, {"format": "csv"})
        assert response.status_code == 200
        assert rows(response)[1][0].startswith("'=HYPERLINK")  # inert in a spreadsheet
    client.force_login(staff["viewer"])  # a team manager: reads the list, cannot download it
    status, page = text(client, url)
    assert status == 200
    assert "Okafor" in page
    assert "Download the outreach list" not in page
    assert client.get(url, {"format": "csv"}).status_code == 403
    client.force_login(staff["councillor"])  # no personal data at all
    status, page = text(client, url)
    assert status == 200
    assert "Okafor" not in page
    assert "Download" not in page
    response = client.get(url, {"format": "csv"})
    assert EMAIL not in response.content.decode()


# --- Take part in the scheme ------------------------------------------------------------------


def test_scheme_withdrawn_no_new_referrals_outreach_or_sharing_but_staff_keep_the_record(
    client, council, staff, resident, adviser, opportunity, tutor, cohort, plan
):
    council.local_authority_code = "E08000014"
    council.save()
    withdraw(resident, ConsentPurpose.SCHEME, adviser)
    with pytest.raises(EmployerError, match="no longer takes part in the scheme"):
        employer_services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    client.force_login(adviser)
    assert NAME not in text(client, reverse("employers:opportunity", args=[opportunity.pk]))[1]
    assert NAME not in text(client, reverse("targeting:plan", args=[plan.pk]))[1]
    client.force_login(tutor)
    page = text(client, reverse("training:enrol", args=[cohort.pk]), q=NAME)[1]
    assert str(resident.public_id) not in page
    for role in ("adviser", "viewer", "administrator"):
        client.force_login(staff[role])
        status, page = text(client, reverse("people:detail", args=[resident.public_id]))
        assert status == 200
        assert NAME in page


def test_the_withdrawal_and_the_referrals_it_closes_commit_together(
    monkeypatch, resident, adviser, opportunity
):
    referral = employer_services.referral_create(
        actor=adviser, opportunity=opportunity, resident=resident
    )

    def fails(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(employer_services, "referrals_close_for_consent", fails)
    with pytest.raises(RuntimeError):
        withdraw(resident, ConsentPurpose.PUT_FORWARD, adviser)
    # Nothing half-written: the consent is still active and the referral still open.
    assert (
        ConsentRecord.objects.active()
        .filter(resident=resident, purpose=ConsentPurpose.PUT_FORWARD)
        .exists()
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED
