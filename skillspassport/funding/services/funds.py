"""Writes about funds and their appraisal criteria, with the `FundingError` and the rule for an
amount of money that every funding write uses.

Callers (views) have fetched the objects through the guarded selectors; the rules about the
appraisal itself are enforced in these services, inside a transaction, with the rows that matter
locked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction

from skillspassport.accounts.models import Organisation, User
from skillspassport.accounts.roles import Capability
from skillspassport.funding.models import Criterion, Fund
from skillspassport.funding.selectors import funding_council_ids


class FundingError(ValueError):
    """A funding rule refused the change; the message is written for the user."""


def money(value: object, label: str) -> Decimal:
    """A positive amount of money with at most 2 decimal places, or a FundingError."""
    if isinstance(value, float):
        raise FundingError(f"{label} must be a number of pounds and pence")
    try:
        amount = Decimal(str(value).strip().replace(",", "").removeprefix("£"))
    except (InvalidOperation, ValueError) as exc:
        raise FundingError(f"{label} must be a number of pounds and pence") from exc
    if not amount.is_finite():
        raise FundingError(f"{label} must be a number of pounds and pence")
    if amount <= 0:
        raise FundingError(f"{label} must be more than £0")
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise FundingError(f"{label} must be in pounds and pence, with no more than 2 decimals")
    if amount >= Decimal("10000000000"):
        raise FundingError(f"{label} is too large")
    return amount


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    weight: int
    max_score: int
    guidance: str = ""


@transaction.atomic
def fund_create(
    *,
    actor: User,
    council: Organisation,
    name: str,
    funder: str,
    total_budget: Decimal,
    opens_on: date,
    closes_on: date,
    criteria: Sequence[CriterionSpec],
    min_assessors: int = 2,
    approval_limit: Decimal | None = None,
) -> Fund:
    if council.pk not in funding_council_ids(user=actor, capability=Capability.MANAGE_FUNDING):
        raise FundingError("You do not manage funding for this council")
    if closes_on < opens_on:
        raise FundingError("The closing date must be on or after the opening date")
    if not criteria:
        raise FundingError("A fund needs at least one appraisal criterion")
    names = [c.name.strip().casefold() for c in criteria]
    if len(set(names)) != len(names):
        raise FundingError("Each criterion needs a different name")
    for spec in criteria:
        if spec.weight < 1 or spec.max_score < 1:
            raise FundingError(f"{spec.name}: weight and maximum score must be at least 1")
    total_weight = sum(spec.weight for spec in criteria)
    if total_weight != 100:
        raise FundingError(
            f"The criteria's weights must add up to 100; they add up to {total_weight}"
        )
    if min_assessors < 1:
        raise FundingError("A fund needs at least 1 independent assessor for each proposal")
    if Fund.objects.filter(council=council, name=name).exists():
        raise FundingError(f"{council} already has a fund called {name}")
    fund = Fund.objects.create(
        council=council,
        name=name,
        funder=funder,
        total_budget=money(total_budget, "Total budget"),
        opens_on=opens_on,
        closes_on=closes_on,
        min_assessors=min_assessors,
        approval_limit=None if approval_limit is None else money(approval_limit, "Approval limit"),
    )
    Criterion.objects.bulk_create(
        Criterion(
            fund=fund,
            name=spec.name.strip(),
            guidance=spec.guidance,
            weight=spec.weight,
            max_score=spec.max_score,
            position=i,
        )
        for i, spec in enumerate(criteria)
    )
    return fund
