"""Fixtures for funds, proposals and projects in the `council` of the shared fixtures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from skillspassport.accounts.models import OrganisationKind, Role
from skillspassport.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from skillspassport.funding.models import Conflict
from skillspassport.funding.services import (
    CriterionSpec,
    assessor_assign,
    conflict_declare,
    fund_create,
    project_create,
    proposal_decide,
    proposal_submit,
)


@pytest.fixture
def manager(staff):
    return staff["programme_manager"]


@pytest.fixture
def second_manager(council):
    user = UserFactory(email="second.manager@council.test", full_name="Second Manager")
    MembershipFactory(user=user, organisation=council, role=Role.PROGRAMME_MANAGER)
    return user


@pytest.fixture
def assessor(council):
    """An independent assessor: a programme manager who does not decide the proposal."""
    user = UserFactory(email="asha.assessor@council.test", full_name="Asha Assessor")
    MembershipFactory(user=user, organisation=council, role=Role.PROGRAMME_MANAGER)
    return user


@pytest.fixture
def second_assessor(council):
    user = UserFactory(email="ben.assessor@council.test", full_name="Ben Assessor")
    MembershipFactory(user=user, organisation=council, role=Role.PROGRAMME_MANAGER)
    return user


@pytest.fixture
def third_assessor(council):
    user = UserFactory(email="cat.assessor@council.test", full_name="Cat Assessor")
    MembershipFactory(user=user, organisation=council, role=Role.PROGRAMME_MANAGER)
    return user


def appraise(proposal, assigned_by, assessors, values=None):
    """Independent assessments: each assessor declares no conflict and scores every criterion."""
    from skillspassport.funding.models import Criterion
    from skillspassport.funding.services import scores_submit

    criteria = list(Criterion.objects.filter(fund=proposal.fund))
    for user in assessors:
        assessment = assessor_assign(actor=assigned_by, proposal=proposal, assessor=user)
        conflict_declare(actor=user, assessment=assessment, conflict=Conflict.NONE)
        scores_submit(
            actor=user,
            assessment=assessment,
            scores={c.pk: (values or {}).get(c.name, (1, "")) for c in criteria},
        )


@pytest.fixture
def appraised(proposal, manager, assessor, second_assessor):
    """`proposal` with the two independent assessments the fund needs before a decision."""
    appraise(proposal, manager, [assessor, second_assessor])
    return proposal


@pytest.fixture
def provider(council):
    return OrganisationFactory(
        name="Community Learning", kind=OrganisationKind.PROVIDER, council=council
    )


@pytest.fixture
def fund(manager, council):
    return fund_create(
        actor=manager,
        council=council,
        name="Digital Inclusion Fund",
        funder="UK Shared Prosperity Fund",
        total_budget=Decimal("100000.00"),
        opens_on=date(2026, 1, 1),
        closes_on=date(2026, 12, 31),
        criteria=[
            CriterionSpec("Need", 40, 5, "How strong is the evidence of need?"),
            CriterionSpec("Deliverability", 30, 5),
            CriterionSpec("Value for money", 30, 10),
        ],
    )


@pytest.fixture
def proposal(fund, manager, provider):
    return proposal_submit(
        actor=manager,
        fund=fund,
        title="Digital champions in Bootle",
        summary="Volunteers helping residents get online.",
        amount_requested=Decimal("40000.00"),
        submitted_on=date(2026, 2, 1),
        applicant_organisation=provider,
        target_outputs="200 residents supported",
    )


@pytest.fixture
def assessment(proposal, manager, assessor):
    return assessor_assign(actor=manager, proposal=proposal, assessor=assessor)


@pytest.fixture
def declared(assessment, assessor):
    return conflict_declare(actor=assessor, assessment=assessment, conflict=Conflict.NONE)


@pytest.fixture
def project(fund, proposal, manager, council, provider, second_manager, third_assessor):
    appraise(proposal, manager, [second_manager, third_assessor])
    proposal_decide(
        actor=manager,
        proposal=proposal,
        decision="approved",
        amount=Decimal("30000.00"),
        reasons="Strong need; reduced to match outputs.",
    )
    return project_create(
        actor=manager,
        fund=fund,
        proposal=proposal,
        name="Digital champions",
        lead_organisation=provider,
        delivery_organisations=[council, provider],
        budget=Decimal("30000.00"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        targets={"residents_supported": 4, "job_starts": 2},
    )
