"""Real pages in headless Chromium, checked with axe-core at desktop and phone widths: no
accessibility violations and no sideways scrolling. The print and copy-link buttons appear
and work once the script runs.

Skipped where Chromium, its driver or axe-core are not installed. One browser for the module,
in its own xdist group so it never competes with itself for the machine.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillspassport.accounts.models import OrganisationKind, Role
from skillspassport.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from skillspassport.credentials.services import credential_issue, share_link_create
from skillspassport.employers import services as employer_services
from skillspassport.employers.models import OpportunityType
from skillspassport.home.tests import browser
from skillspassport.people.models import ConsentPurpose, ConsentRecord, LawfulBasis
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor, LevelRuleSet, ScaleStep
from skillspassport.skills.services import evidence_record
from skillspassport.support import services as support
from skillspassport.training import services as training
from skillspassport.training.models import Session

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("browser"),
    pytest.mark.skipif(not browser.available(), reason="needs chromium, chromedriver, axe-core"),
]


@pytest.fixture(scope="module")
def driver():
    chrome = browser.chrome()
    yield chrome
    chrome.quit()


def today():
    return timezone.localdate()


@pytest.fixture
def scheme(council, staff):
    """An adviser's caseload with a review due, a spend awaiting approval and a shared
    credential; a tutor's cohort with a register to take; an employer with a referral."""
    adviser = staff["adviser"]
    resident = ResidentFactory(
        organisation=council, user=adviser, first_name="Kerry", email="kerry@example.org"
    )
    ConsentRecord.objects.create(
        resident=resident,
        purpose=ConsentPurpose.PUT_FORWARD,
        lawful_basis=LawfulBasis.CONSENT,
        given_by=adviser,
    )
    evidence_record(
        user=adviser,
        resident=resident,
        descriptors=Descriptor.objects.filter(level__code="foundation"),
        method="observed_adviser",
        shown_on=today() - timedelta(days=30),
    )
    issued = credential_issue(resident=resident, strand_code="digital", user=adviser)
    token = share_link_create(user=adviser, credential=issued)
    case = support.case_open(
        actor=adviser,
        resident=resident,
        referral_source="jobcentre",
        referred_on=today() - timedelta(days=30),
        referring_organisation="Bootle Jobcentre",
        opened_on=today() - timedelta(days=28),
        next_review_on=today() - timedelta(days=1),
    )
    support.budget_spend_record(
        actor=adviser,
        case=case,
        category="equipment",
        amount=Decimal("249.99"),
        description="Laptop for an online course",
        spent_on=today(),
    )

    provider = OrganisationFactory(
        name="Sefton Community Learning", kind=OrganisationKind.PROVIDER, council=council
    )
    tutor = UserFactory(email="grace@provider.test", full_name="Grace Tutor")
    MembershipFactory(user=tutor, organisation=provider, role=Role.TUTOR)
    framework = LevelRuleSet.objects.get(name="default").framework
    course = training.course_save(
        actor=tutor,
        provider=provider,
        title="Get online: first steps",
        description="Using a device safely.",
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
    cohort = training.cohort_create(
        actor=tutor,
        course=course,
        venue_name="Bootle Library",
        venue_postcode="l20 1ad",
        start_date=today(),
        end_date=today() + timedelta(weeks=6),
        capacity=10,
        waiting_list_open=True,
        tutor=tutor,
    )
    training.enrolment_create(
        actor=tutor, cohort=cohort, resident=ResidentFactory(organisation=provider)
    )
    cohort.start_date = today() - timedelta(days=7)
    cohort.save(update_fields=["start_date"])
    start = timezone.make_aware(datetime.combine(today() - timedelta(days=7), time(10)))
    session = Session.objects.create(
        cohort=cohort, starts_at=start, ends_at=start + timedelta(hours=2)
    )

    employer = employer_services.employer_create(
        actor=adviser,
        council=council,
        name="Dockside Logistics Ltd",
        sector="H",
        size_band="medium",
    )
    site = employer_services.site_add(
        actor=adviser, employer=employer, name="Bootle", postcode="L20 0AH"
    )
    opportunity = employer_services.opportunity_create(
        actor=adviser,
        employer=employer,
        title="Warehouse administrator",
        opportunity_type=OpportunityType.JOB,
        places=2,
        closing_on=today() + timedelta(days=30),
        minimum={"digital": "bronze"},
        site=site,
        hours_per_week=Decimal("37.5"),
    )
    employer_services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    contact = UserFactory(email="priya@dockside.test", full_name="Priya Shah")
    MembershipFactory(user=contact, organisation=employer, role=Role.EMPLOYER_CONTACT)
    return {
        "adviser": adviser,
        "manager": staff["programme_manager"],
        "tutor": tutor,
        "contact": contact,
        "resident": resident,
        "case": case,
        "token": token,
        "cohort": cohort,
        "session": session,
        "employer": employer,
    }


def sign_in(driver, live_server, user):
    client = Client()
    client.force_login(user)
    driver.delete_all_cookies()
    driver.get(live_server.url + "/healthz")
    driver.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )


def problems_on(driver, url):
    """What is wrong with the page at each width: axe violations and sideways scrolling."""
    found = []
    for width in browser.WIDTHS:
        browser.set_width(driver, width)
        driver.get(url)
        assert "Page not found" not in driver.title, url
        found += [f"{width}px {v}" for v in browser.axe_violations(driver)]
        extra = browser.sideways_scroll(driver)
        if extra > 0:
            found.append(
                f"{width}px scrolls sideways by {extra}px: {browser.widest_elements(driver)}"
            )
    return found


def test_pages_have_no_accessibility_violations_or_sideways_scroll(driver, live_server, scheme):
    pages = {
        "adviser": [reverse("home:dashboard"), reverse("support:caseload")],
        "manager": [reverse("home:dashboard"), reverse("support:approvals")],
        "tutor": [
            reverse("home:dashboard"),
            reverse("training:cohort", args=[scheme["cohort"].pk]),
            reverse("training:register", args=[scheme["cohort"].pk, scheme["session"].pk]),
        ],
        "contact": [
            reverse("home:dashboard"),
            reverse("employers:detail", args=[scheme["employer"].pk]),
        ],
    }
    problems = []
    for who, paths in pages.items():
        sign_in(driver, live_server, scheme[who])
        for path in paths:
            problems += [f"{who} {path}: {p}" for p in problems_on(driver, live_server.url + path)]
    assert not problems, "\n".join(problems)


def test_copy_link_and_print_buttons_appear_with_the_script(driver, live_server, scheme):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    browser.set_width(driver, 1280)
    driver.delete_all_cookies()
    driver.get(live_server.url + reverse("credentials:share", args=[scheme["token"]]))
    button = driver.find_element(By.CSS_SELECTOR, "[data-app-copy='share-url']")
    WebDriverWait(driver, 5).until(lambda d: button.is_displayed())
    button.click()
    status = driver.find_element(By.CSS_SELECTOR, ".app-copy-link__status")
    WebDriverWait(driver, 5).until(lambda d: status.text)
    assert status.text in ("Link copied.", "Press Ctrl+C (or Cmd+C) to copy the selected link.")

    sign_in(driver, live_server, scheme["adviser"])
    driver.get(live_server.url + reverse("people:passport", args=[scheme["resident"].public_id]))
    printing = driver.find_element(By.CSS_SELECTOR, "[data-app-print]")
    WebDriverWait(driver, 5).until(lambda d: printing.is_displayed())
    assert printing.text == "Print this passport"
