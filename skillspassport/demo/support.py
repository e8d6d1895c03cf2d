"""Demo casework for the Sefton adviser: open cases from mixed referral sources, one complete
journey (Jobcentre Plus referral to a sustained job), devices lent, and a spend awaiting
approval for the programme manager. Deterministic for a given random generator."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal

from skillspassport.accounts.models import Organisation, User
from skillspassport.employers.models import SustainmentCheck
from skillspassport.people.models import Resident
from skillspassport.support import services
from skillspassport.support.models import BudgetPolicy, Case, ReferralSource

REFERRERS = {
    ReferralSource.JOBCENTRE: "Bootle Jobcentre",
    ReferralSource.SOCIAL_CARE: "Sefton Adult Social Care",
    ReferralSource.SELF: "Self-referral at Bootle library",
    ReferralSource.VOLUNTARY: "Sefton CVS Digital Hub",
    ReferralSource.OTHER: "Sefton Housing Options",
}

GOALS = [
    "Update CV with recent volunteering",
    "Complete the digital foundation course",
    "Apply for three warehouse roles a week",
    "Get a CSCS card for construction work",
    "Practise interview answers with the adviser",
]


def seed(
    *,
    rng: random.Random,
    council: Organisation,
    orgs: Mapping[str, Organisation],
    users: Mapping[str, User],
    residents: Sequence[int],
    today: date,
) -> int:
    """Create the demo casework; returns the number of cases opened."""
    adviser = users["adviser@sefton.demo"]
    manager = users["manager@sefton.demo"]
    hub = orgs["Sefton CVS Digital Hub"]
    employer = orgs["Dockside Logistics Ltd"]
    BudgetPolicy.objects.create(
        council=council, cap=Decimal("500.00"), approval_threshold=Decimal("100.00")
    )
    pool = list(
        Resident.objects.filter(id__in=residents, organisation=council)
        .order_by("id")
        .values_list("id", flat=True)
    )
    chosen = Resident.objects.filter(id__in=rng.sample(pool, min(16, len(pool)))).select_related(
        "organisation"
    )
    people = sorted(chosen, key=lambda r: r.pk)
    if not people:  # a demo too small to give the council residents of its own
        return 0
    _complete_journey(people[0], adviser, manager, hub, employer, today)
    sources = list(REFERRERS)
    for index, resident in enumerate(people[1:]):
        source = sources[index % len(sources)]
        opened = today - timedelta(days=rng.randint(7, 150))
        review_offset = rng.randint(-10, 28)
        case = services.case_open(
            actor=adviser,
            resident=resident,
            referral_source=source,
            referred_on=opened - timedelta(days=rng.randint(0, 14)),
            referring_organisation=REFERRERS[source],
            opened_on=opened,
            next_review_on=today + timedelta(days=review_offset) if index % 5 else None,
        )
        for text in rng.sample(GOALS, 2):
            services.goal_add(
                actor=adviser, case=case, text=text, target_on=today + timedelta(weeks=6)
            )
        services.case_note_add(
            actor=adviser,
            case=case,
            text="First meeting: talked through the action plan and the passport.",
        )
        if index % 3 == 0:
            services.budget_spend_record(
                actor=adviser,
                case=case,
                category="travel",
                amount=Decimal(rng.choice(["18.50", "32.00", "45.60"])),
                description="Bus pass to interviews and the training centre",
                spent_on=opened + timedelta(days=3),
            )
        if index % 4 == 1:
            services.device_record(
                actor=adviser,
                case=case,
                hub=hub,
                kind=rng.choice(["laptop", "tablet", "data_sim"]),
                serial=f"DEMO-{rng.randint(100000, 999999)}",
                issued_on=opened + timedelta(days=1),
                arrangement="lent",
                due_back_on=opened + timedelta(weeks=12),
            )
        if index == 2:
            # A spend above the threshold waiting for the programme manager.
            services.budget_spend_record(
                actor=adviser,
                case=case,
                category="training",
                amount=Decimal("275.00"),
                description="Forklift licence course",
                spent_on=today,
            )
        if index == 4:
            case.opened_on = case.referred_on = today - timedelta(weeks=20)
            case.save(update_fields=["opened_on", "referred_on"])
            services.case_job_start_record(
                actor=adviser,
                case=case,
                employer=None,
                employer_name="Bootle Bakery",
                role_title="Bakery assistant",
                contract="fixed_term",
                started_on=today - timedelta(weeks=14),
                hours_per_week=Decimal("25"),
                hourly_wage=Decimal("12.21"),
            )
    return Case.objects.filter(adviser=adviser).count()


def _complete_journey(
    resident: Resident,
    adviser: User,
    manager: User,
    hub: Organisation,
    employer: Organisation,
    today: date,
) -> None:
    """Jobcentre Plus referral, action plan, budget spends (one approved by the manager),
    a paid placement, then a job start whose 13-week check is done."""
    opened = today - timedelta(weeks=32)
    case = services.case_open(
        actor=adviser,
        resident=resident,
        referral_source=ReferralSource.JOBCENTRE,
        referred_on=opened - timedelta(days=5),
        referring_organisation="Bootle Jobcentre",
        referral_contact="Work coach Jo Smith",
        opened_on=opened,
        next_review_on=today + timedelta(weeks=4),
    )
    cv = services.goal_add(
        actor=adviser, case=case, text=GOALS[0], target_on=opened + timedelta(weeks=3)
    )
    services.goal_set_status(actor=adviser, goal=cv, status="achieved")
    course = services.goal_add(
        actor=adviser, case=case, text=GOALS[1], target_on=opened + timedelta(weeks=8)
    )
    services.goal_set_status(actor=adviser, goal=course, status="achieved")
    services.goal_add(
        actor=adviser,
        case=case,
        text="Stay in work through the first six months",
        target_on=today + timedelta(weeks=12),
    )
    services.case_note_add(
        actor=adviser,
        case=case,
        text="Referred by the Jobcentre after a year out of work. Keen on logistics.",
    )
    services.device_record(
        actor=adviser,
        case=case,
        hub=hub,
        kind="data_sim",
        serial="8944100000000000042",
        issued_on=opened + timedelta(days=2),
        arrangement="gifted",
    )
    services.budget_spend_record(
        actor=adviser,
        case=case,
        category="travel",
        amount=Decimal("48.00"),
        description="Monthly bus pass for the placement",
        spent_on=opened + timedelta(weeks=10),
    )
    boots = services.budget_spend_record(
        actor=adviser,
        case=case,
        category="equipment",
        amount=Decimal("185.00"),
        description="Safety boots and hi-vis clothing for the warehouse placement",
        spent_on=opened + timedelta(weeks=10),
    )
    services.budget_spend_decide(
        actor=manager, spend=boots, approve=True, note="Needed for the placement"
    )
    placement_start = opened + timedelta(weeks=11)
    services.placement_record(
        actor=adviser,
        case=case,
        employer=employer,
        employer_name="",
        role_title="Warehouse operative",
        weeks=6,
        hours_per_week=Decimal("20"),
        hourly_wage=Decimal("12.21"),
        starts_on=placement_start,
        ends_on=placement_start + timedelta(weeks=6),
        outcome="into_work",
    )
    link = services.case_job_start_record(
        actor=adviser,
        case=case,
        employer=employer,
        employer_name="",
        role_title="Warehouse operative",
        contract="permanent",
        started_on=today - timedelta(weeks=15),
        hours_per_week=Decimal("37.5"),
        hourly_wage=Decimal("12.60"),
    )
    check = SustainmentCheck.objects.get(job_start=link.job_start, weeks=13)
    services.case_sustainment_record(
        actor=adviser,
        check=check,
        outcome="in_work",
        checked_on=check.due_on + timedelta(days=2),
        note="Confirmed by phone; enjoying the role.",
    )
    services.case_note_add(
        actor=adviser, case=case, text="13-week check done: still in work, full time."
    )
