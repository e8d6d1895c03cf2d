"""Demo funding data: the Sefton Digital Inclusion Innovation Fund, its appraisal and a project.

Called once from `seed_demo`. Everything goes through the services, as staff would do it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal

from skillspassport.accounts.models import Organisation, User
from skillspassport.funding.models import Assessment, Conflict, Criterion, Fund, Project, Proposal
from skillspassport.funding.services import (
    CriterionSpec,
    MilestoneSpec,
    agreement_record,
    assessor_assign,
    conflict_declare,
    fund_create,
    milestone_complete,
    project_create,
    proposal_decide,
    proposal_submit,
    scores_submit,
    spend_record,
)

FUND_NAME = "Sefton Digital Inclusion Innovation Fund"
CRITERIA = [
    CriterionSpec(
        "Need in priority areas", 35, 5, "Evidence of digital exclusion where the work happens."
    ),
    CriterionSpec("Deliverability", 25, 5, "A credible plan, team, venues and timetable."),
    CriterionSpec("Value for money", 20, 5, "Cost per resident supported and per outcome."),
    CriterionSpec(
        "Partnership and sustainability", 20, 5, "Who else is involved and what lasts afterwards."
    ),
]


def seed(
    *,
    rng: random.Random,
    council: Organisation,
    orgs: Mapping[str, Organisation],
    users: Mapping[str, User],
    resident_ids: Sequence[int],
    today: date,
) -> Fund:
    manager = users["manager@sefton.demo"]
    admin = users["admin@sefton.demo"]
    assessor = users["assessor@sefton.demo"]
    learning = orgs["Sefton Community Learning Service"]
    fund = fund_create(
        actor=manager,
        council=council,
        name=FUND_NAME,
        funder="UK Shared Prosperity Fund, via the Liverpool City Region Combined Authority",
        total_budget=Decimal("250000.00"),
        opens_on=today - timedelta(days=330),
        closes_on=today + timedelta(days=60),
        criteria=CRITERIA,
    )

    approved = proposal_submit(
        actor=manager,
        fund=fund,
        title="Get Online Sefton: digital champions in Bootle and Netherton",
        summary=(
            "Trained digital champions in libraries and community centres in the priority "
            "areas, weekly drop-ins, and a route into the council's employment support."
        ),
        amount_requested=Decimal("85000.00"),
        submitted_on=today - timedelta(days=300),
        applicant_organisation=learning,
        target_outputs="600 residents supported; 180 reaching Bronze; 12 into work",
    )
    _appraise(approved, manager, [(assessor, [5, 4, 4, 4]), (admin, [4, 4, 3, 5])])
    proposal_decide(
        actor=manager,
        proposal=approved,
        decision="approved",
        amount=Decimal("80000.00"),
        reasons="Strong evidence of need in Linacre and Derby wards; venues confirmed. "
        "Approved at £80,000: the evaluation budget is funded centrally.",
    )
    _project(approved, fund, manager, council, learning, rng, resident_ids, users, today)

    declined = proposal_submit(
        actor=manager,
        fund=fund,
        title="Tech for Tenants device library",
        summary="A lending library of laptops and tablets run from a tenants' association office.",
        amount_requested=Decimal("60000.00"),
        submitted_on=today - timedelta(days=290),
        applicant_name="Bootle Tenants' Association",
        target_outputs="300 device loans",
    )
    _appraise(declined, manager, [(assessor, [3, 2, 2, 1]), (admin, [3, 1, 2, 2])])
    proposal_decide(
        actor=manager,
        proposal=declined,
        decision="declined",
        reasons="No plan for support alongside the devices, and no partner to keep the "
        "library running after the grant. Encouraged to reapply with a delivery partner.",
    )

    assessing = proposal_submit(
        actor=manager,
        fund=fund,
        title="Digital skills hub at Sefton CVS",
        summary="A weekly hub for voluntary groups' volunteers and the residents they support.",
        amount_requested=Decimal("45000.00"),
        submitted_on=today - timedelta(days=20),
        applicant_organisation=orgs["Sefton CVS Digital Hub"],
        target_outputs="80 residents supported; 25 credentials",
    )
    # One independent assessment of the two the fund needs: not ready for a decision yet.
    _appraise(assessing, manager, [(admin, [4, 3, 4, 3])])
    conflicted = assessor_assign(actor=manager, proposal=assessing, assessor=assessor)
    conflict_declare(
        actor=assessor,
        assessment=conflicted,
        conflict=Conflict.CONFLICT,
        details="I am a trustee of Sefton CVS, the applicant.",
    )
    return fund


def _appraise(proposal: Proposal, assigned_by: User, scorers: list[tuple[User, list[int]]]) -> None:
    criteria = list(Criterion.objects.filter(fund=proposal.fund))
    for user, values in scorers:
        assessment: Assessment = assessor_assign(
            actor=assigned_by, proposal=proposal, assessor=user
        )
        conflict_declare(actor=user, assessment=assessment, conflict=Conflict.NONE)
        scores_submit(
            actor=user,
            assessment=assessment,
            scores={c.pk: (v, "") for c, v in zip(criteria, values, strict=True)},
        )


def _project(
    proposal: Proposal,
    fund: Fund,
    manager: User,
    council: Organisation,
    learning: Organisation,
    rng: random.Random,
    resident_ids: Sequence[int],
    users: Mapping[str, User],
    today: date,
) -> Project:
    starts_on = today - timedelta(days=240)
    project = project_create(
        actor=manager,
        fund=fund,
        proposal=proposal,
        name="Get Online Sefton",
        lead_organisation=learning,
        delivery_organisations=[learning, council],
        budget=Decimal("80000.00"),
        starts_on=starts_on,
        ends_on=today + timedelta(days=125),
        targets={
            "residents_supported": 600,
            "passports_bronze": 180,
            "passports_silver": 120,
            "passports_gold": 45,
            "credentials_gained": 200,
            "job_starts": 12,
            "sustained_13_weeks": 6,
            "sustained_26_weeks": 3,
            "training_starts": 40,
            "training_completions": 25,
            "cases_opened": 30,
        },
    )
    agreement = agreement_record(
        actor=manager,
        project=project,
        signed_on=starts_on - timedelta(days=7),
        value=Decimal("80000.00"),
        reference="SDIIF-2026-001",
        milestones=[
            MilestoneSpec(
                "Champions recruited and trained",
                starts_on + timedelta(days=45),
                Decimal("20000.00"),
            ),
            MilestoneSpec(
                "Drop-ins running in six venues",
                starts_on + timedelta(days=120),
                Decimal("25000.00"),
            ),
            MilestoneSpec(
                "Mid-point report to the partnership board",
                starts_on + timedelta(days=240),
                Decimal("20000.00"),
            ),
            MilestoneSpec(
                "Final report and evaluation", starts_on + timedelta(days=365), Decimal("15000.00")
            ),
        ],
    )
    for milestone, late in zip(agreement.milestones.order_by("due_on")[:2], (3, 10), strict=True):
        milestone_complete(
            actor=manager, milestone=milestone, completed_on=milestone.due_on + timedelta(days=late)
        )
    lines = [
        (5, "staff", "Project coordinator, first quarter", "9800.00"),
        (20, "training", "Digital champion training (12 volunteers)", "4200.00"),
        (35, "equipment", "20 loan tablets with cases", "5380.00"),
        (60, "connectivity", "Data SIMs for loan tablets, six months", "960.00"),
        (95, "staff", "Project coordinator, second quarter", "9800.00"),
        (110, "venues", "Room hire, Bootle and Netherton libraries", "1450.50"),
        (150, "marketing", "Leaflets and door-knocking in Linacre and Derby", "730.00"),
        (185, "staff", "Project coordinator, third quarter", "9800.00"),
    ]
    for offset, category, description, amount in lines:
        spend_record(
            actor=manager,
            project=project,
            spent_on=starts_on + timedelta(days=offset),
            amount=Decimal(amount),
            category=category,
            description=description,
        )
    return project
