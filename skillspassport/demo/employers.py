"""Demo employers for the Sefton scheme: compacts, roles mapped from adverts, opportunities,
matches, referrals and outcomes through 26 weeks. Called once by `seed_demo`.

The employers are fictional; their sites use real Sefton postcodes from the shipped lookup.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from skillspassport.accounts.models import Organisation, User
from skillspassport.areas.models import Postcode
from skillspassport.employers import services, skillsmap
from skillspassport.employers.analytics import matching
from skillspassport.employers.models import (
    EmployerProfile,
    JobRole,
    Opportunity,
    OpportunityType,
    Referral,
    SkillSource,
    SustainmentCheck,
    SustainmentOutcome,
)
from skillspassport.employers.selectors import resident_profiles
from skillspassport.people.models import ConsentPurpose, ConsentRecord, LawfulBasis, Resident

EMPLOYERS = [
    # name, SIC section, size band, existing organisation?
    ("Dockside Logistics Ltd", "H", "medium"),
    ("Crosby Digital Studio Ltd", "J", "small"),
    ("Southport Seafront Hotel", "I", "medium"),
    ("Netherton Care Partnership", "Q", "large"),
    ("Litherland Home Store", "G", "large"),
]

ADVERTS = {
    "Dockside Logistics Ltd": (
        "Warehouse administrator",
        False,
        (
            "We are looking for a warehouse administrator to join our Bootle team. You will use "
            "spreadsheets to track stock levels, enter orders on our computer system and answer "
            "customer emails. Good numeracy and accurate data entry are essential. You will work "
            "with drivers and the transport office to plan deliveries. We are an equal "
            "opportunities employer."
        ),
    ),
    "Crosby Digital Studio Ltd": (
        "Junior web developer (apprenticeship)",
        True,
        (
            "Join our small studio as an apprentice web developer. You will build websites with "
            "HTML, CSS and JavaScript, test them on phones and tablets, and keep client data safe "
            "online. You will explain technical ideas to customers in plain English and work in "
            "an agile team. Experience of WordPress is a bonus."
        ),
    ),
    "Southport Seafront Hotel": (
        "Front of house receptionist",
        False,
        (
            "Our receptionists welcome guests, take bookings on the reservation system, handle "
            "payments and answer phone calls and emails. You will need good communication skills, "
            "confidence with computers and the ability to deal with complaints calmly."
        ),
    ),
    "Netherton Care Partnership": (
        "Care support worker",
        False,
        (
            "Support people to live independently at home. Keep accurate care records on a tablet, "
            "communicate with families and health professionals, and follow safeguarding and data "
            "protection procedures. Training is provided."
        ),
    ),
    "Litherland Home Store": (
        "Customer service assistant",
        False,
        (
            "Serve customers on the shop floor and at the tills, handle cash and card payments, "
            "check stock using a handheld scanner and help customers order online."
        ),
    ),
}

# (employer, title, type, minimum levels, places, closes in days, hourly wage, hours)
OPPORTUNITIES = [
    (
        "Dockside Logistics Ltd",
        "Warehouse administrator",
        OpportunityType.JOB,
        {"digital": "silver", "numeracy": "silver"},
        2,
        40,
        "12.60",
        "37.5",
    ),
    (
        "Dockside Logistics Ltd",
        "Two weeks in the transport office",
        OpportunityType.WORK_EXPERIENCE,
        {"digital": "bronze"},
        6,
        60,
        None,
        "30",
    ),
    (
        "Crosby Digital Studio Ltd",
        "Junior web developer (apprenticeship)",
        OpportunityType.APPRENTICESHIP,
        {"digital": "gold", "literacy": "silver"},
        1,
        50,
        "7.55",
        "37.5",
    ),
    (
        "Crosby Digital Studio Ltd",
        "Guaranteed interview: digital support assistant",
        OpportunityType.GUARANTEED_INTERVIEW,
        {"digital": "silver"},
        4,
        30,
        "12.21",
        "30",
    ),
    (
        "Southport Seafront Hotel",
        "Front of house receptionist",
        OpportunityType.JOB,
        {"digital": "silver", "communication": "silver"},
        2,
        25,
        "12.40",
        "32",
    ),
    (
        "Southport Seafront Hotel",
        "Paid placement: kitchen and housekeeping",
        OpportunityType.PAID_PLACEMENT,
        {"digital": "bronze"},
        4,
        45,
        "12.21",
        "25",
    ),
    (
        "Netherton Care Partnership",
        "Care support worker",
        OpportunityType.JOB,
        {"digital": "bronze", "literacy": "bronze"},
        5,
        55,
        "12.90",
        "37.5",
    ),
    (
        "Litherland Home Store",
        "Customer service assistant",
        OpportunityType.JOB,
        {"numeracy": "bronze", "communication": "bronze"},
        3,
        35,
        "12.21",
        "20",
    ),
    (
        "Litherland Home Store",
        "Guaranteed interview: online orders team",
        OpportunityType.GUARANTEED_INTERVIEW,
        {"digital": "silver"},
        5,
        20,
        "12.50",
        "37.5",
    ),
]

PLEDGES = [
    ("Dockside Logistics Ltd", "bronze", OpportunityType.WORK_EXPERIENCE, 12),
    ("Dockside Logistics Ltd", "silver", OpportunityType.JOB, 4),
    ("Crosby Digital Studio Ltd", "silver", OpportunityType.GUARANTEED_INTERVIEW, 8),
    ("Crosby Digital Studio Ltd", "gold", OpportunityType.APPRENTICESHIP, 2),
    ("Southport Seafront Hotel", "bronze", OpportunityType.PAID_PLACEMENT, 10),
    ("Southport Seafront Hotel", "silver", OpportunityType.JOB, 4),
    ("Netherton Care Partnership", "bronze", OpportunityType.JOB, 10),
    ("Litherland Home Store", "bronze", OpportunityType.JOB, 6),
    ("Litherland Home Store", "silver", OpportunityType.GUARANTEED_INTERVIEW, 10),
]


def seed(
    *,
    rng: random.Random,
    council: Organisation,
    adviser: User,
    employer_contact: User,
    today: date,
) -> None:
    _consent_to_be_put_forward(rng, council, adviser)
    postcodes = list(
        Postcode.objects.filter(
            local_authority_id=council.local_authority_code,
            latitude__isnull=False,
            is_live=True,
        )
        .order_by("postcode")
        .values_list("postcode", flat=True)[:4000]
    )
    mapper = skillsmap.get_mapper("lexical")
    crosswalk = skillsmap.load_crosswalk()
    start_of_year = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    employers: dict[str, Organisation] = {}
    for name, sector, size in EMPLOYERS:
        employer = Organisation.objects.filter(name=name).first()
        if employer is None:
            employer = services.employer_create(
                actor=adviser, council=council, name=name, sector=sector, size_band=size
            )
        else:
            EmployerProfile.objects.get_or_create(
                organisation=employer, defaults={"sector": sector, "size_band": size}
            )
        employers[name] = employer
        services.site_add(
            actor=adviser, employer=employer, name="Main site", postcode=rng.choice(postcodes)
        )
        title, tech, advert = ADVERTS[name]
        matches = mapper.map(advert, top=12)
        needs = skillsmap.rollup(matches, crosswalk)
        services.role_create(
            actor=employer_contact if name == "Dockside Logistics Ltd" else adviser,
            employer=employer,
            title=title,
            advert_text=advert,
            is_tech_role=tech,
            skills=[(m.uri, m.label, m.score) for m in matches[:8]],
            needs=[(n.area_code, n.strand, n.level, SkillSource.ADVERT) for n in needs],
        )
    pledges = {}
    for name, level, kind, quantity in PLEDGES:
        pledges[(name, kind)] = services.pledge_sign(
            actor=employer_contact if name == "Dockside Logistics Ltd" else adviser,
            employer=employers[name],
            level=level,
            opportunity_type=kind,
            quantity_per_year=quantity,
            starts_on=start_of_year,
            ends_on=start_of_year.replace(year=start_of_year.year + 1) - timedelta(days=1),
        )
    opportunities = []
    for name, title, kind, minimum, places, closes, wage, hours in OPPORTUNITIES:
        employer = employers[name]
        opportunities.append(
            services.opportunity_create(
                actor=adviser,
                employer=employer,
                title=title,
                opportunity_type=kind,
                places=places,
                closing_on=today + timedelta(days=closes),
                minimum=minimum,
                role=JobRole.objects.filter(employer=employer, title=title).first(),
                pledge=pledges.get((name, kind)),
                site=employer.employer_sites.first(),
                hours_per_week=Decimal(hours),
                hourly_wage=Decimal(wage) if wage else None,
                today=today,
            )
        )
    _referrals_and_outcomes(rng, council, adviser, employer_contact, opportunities, today)


def _consent_to_be_put_forward(rng: random.Random, council: Organisation, adviser: User) -> None:
    """Most residents who agreed to be contacted also agreed to be put forward."""
    contactable = (
        ConsentRecord.objects.active()
        .filter(purpose=ConsentPurpose.CONTACT, resident__organisation=council)
        .values_list("resident_id", "given_at")
        .order_by("resident_id")
    )
    ConsentRecord.objects.bulk_create(
        ConsentRecord(
            resident_id=rid,
            purpose=ConsentPurpose.PUT_FORWARD,
            lawful_basis=LawfulBasis.CONSENT,
            given_by=adviser,
            given_at=given,
        )
        for rid, given in contactable
        if rng.random() < 0.75
    )


# (weeks since referral, stage reached, weeks from referral to start)
JOURNEYS = [
    (34, "started", 4),  # both sustainment checks done
    (20, "started", 3),  # 13-week check done, 26-week check to come
    (17, "started", 3),  # 13-week check due now
    (9, "started", 2),
    (6, "offered", 0),
    (5, "interviewed", 0),
    (4, "interviewed", 0),
    (3, "referred", 0),
    (2, "referred", 0),
    (2, "withdrawn", 0),
    (1, "referred", 0),
]


def _referrals_and_outcomes(
    rng: random.Random,
    council: Organisation,
    adviser: User,
    employer_contact: User,
    opportunities: list[Opportunity],
    today: date,
) -> None:
    residents = Resident.objects.filter(organisation=council).filter(
        Q(consents__purpose=ConsentPurpose.PUT_FORWARD, consents__withdrawn_at__isnull=True)
    )
    profiles = resident_profiles(residents)
    people = Resident.objects.in_bulk([p.id for p in profiles])
    used: set[int] = set()
    journeys = iter(JOURNEYS * 2)
    for opportunity in opportunities:
        wanted = matching.Opportunity(
            opportunity.pk, {s: v for s, v in opportunity.minimum_levels().items() if v}
        )
        candidates = [
            p
            for p in profiles
            if p.id not in used and (m := matching.assess(p, wanted)) is not None and m.qualifies
        ]
        rng.shuffle(candidates)
        for profile in candidates[:2]:
            journey = next(journeys, None)
            if journey is None:
                return
            used.add(profile.id)
            _journey(
                rng, people[profile.id], opportunity, journey, adviser, employer_contact, today
            )


def _journey(
    rng: random.Random,
    resident: Resident,
    opportunity: Opportunity,
    journey: tuple[int, str, int],
    adviser: User,
    employer_contact: User,
    today: date,
) -> None:
    weeks_ago, stage, to_start = journey
    referred_on = today - timedelta(weeks=weeks_ago)
    referral = services.referral_create(
        actor=adviser, opportunity=opportunity, resident=resident, today=referred_on
    )
    Referral.objects.filter(pk=referral.pk).update(
        referred_at=referral.referred_at - timedelta(weeks=weeks_ago)
    )
    referral.refresh_from_db()
    actor = employer_contact if opportunity.employer.name == "Dockside Logistics Ltd" else adviser
    if stage == "withdrawn":
        services.referral_withdraw(
            actor=adviser, referral=referral, reason="Found other work before the interview"
        )
        return
    if stage == "referred":
        return
    services.referral_progress(
        actor=actor,
        referral=referral,
        stage="interviewed",
        on=referred_on + timedelta(days=7),
        today=today,
    )
    if stage == "interviewed":
        return
    services.referral_progress(
        actor=actor,
        referral=referral,
        stage="offered",
        on=referred_on + timedelta(days=10),
        today=today,
    )
    if stage == "offered":
        return
    start = referred_on + timedelta(weeks=max(to_start, 2))
    referral = services.referral_progress(
        actor=actor,
        referral=referral,
        stage="started",
        on=start,
        hours_per_week=opportunity.hours_per_week or Decimal("30"),
        hourly_wage=opportunity.hourly_wage,
        today=today,
    )
    # Checks that fell due more than a week ago are done; the rest are left to record.
    for check in SustainmentCheck.objects.filter(
        job_start=referral.job_start, due_on__lt=today - timedelta(days=7)
    ):
        services.sustainment_record(
            actor=adviser,
            check=check,
            outcome=(
                SustainmentOutcome.IN_WORK
                if rng.random() < 0.85
                else SustainmentOutcome.NOT_IN_WORK
            ),
            checked_on=check.due_on + timedelta(days=rng.randint(0, 5)),
        )
