"""Who may see which employer and opportunity.

Two kinds of user reach the employer pages:

- scheme staff (advisers, administrators) who hold MANAGE_EMPLOYERS or REFER_RESIDENTS in an
  organisation of a council's scheme see that scheme's employers, and the residents they may
  see anyway (`Resident.objects.visible_to`);
- employer contacts (EMPLOYER_PORTAL) see their own employer, and about residents only what
  a referral to one of their opportunities carries. They never see matches.

Every object is fetched through one `*_get_for_user` function that raises Http404 for an
object the user has no business with, so guessing ids reveals nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from skillspassport.accounts.access import scope_for
from skillspassport.accounts.models import Organisation, OrganisationKind, User
from skillspassport.accounts.roles import Capability
from skillspassport.employers.models import Opportunity
from skillspassport.people.models import ConsentPurpose, ConsentRecord

STAFF_CAPABILITIES = (Capability.MANAGE_EMPLOYERS, Capability.REFER_RESIDENTS)


# --- Who may see which employer -------------------------------------------------------------


def scheme_council_ids(*, user: User, capabilities: Iterable[Capability]) -> frozenset[int]:
    """The councils whose schemes the user works in with any of `capabilities`."""
    return scope_for(user, *capabilities).council_ids


def employers_for_staff(*, user: User) -> QuerySet[Organisation]:
    councils = scheme_council_ids(user=user, capabilities=STAFF_CAPABILITIES)
    return Organisation.objects.filter(
        kind=OrganisationKind.EMPLOYER, council_id__in=councils
    ).select_related("employer_profile")


def own_employer_ids(*, user: User) -> frozenset[int]:
    """Employers the user acts for as an employer contact (employer organisations only: a
    council administrator holds every capability in the council, which is not an employer)."""
    return (
        scope_for(user, Capability.EMPLOYER_PORTAL)
        .of_kinds(OrganisationKind.EMPLOYER)
        .organisation_ids
    )


def own_employers(*, user: User) -> QuerySet[Organisation]:
    """The employers the user acts for as an employer contact, by name."""
    return Organisation.objects.filter(id__in=own_employer_ids(user=user)).select_related(
        "employer_profile"
    )


@dataclass(frozen=True)
class EmployerAccess:
    employer: Organisation
    as_staff: bool  # scheme staff (may see matches and refer); else the employer's own contact


def employer_get_for_user(*, user: User, employer_id: int | str) -> EmployerAccess:
    try:
        employer = Organisation.objects.select_related("employer_profile", "council").get(
            pk=int(employer_id), kind=OrganisationKind.EMPLOYER
        )
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such employer") from exc
    if employer.pk in own_employer_ids(user=user):
        return EmployerAccess(employer, as_staff=False)
    councils = scheme_council_ids(user=user, capabilities=STAFF_CAPABILITIES)
    if employer.council_id in councils:
        return EmployerAccess(employer, as_staff=True)
    raise Http404("No such employer")


def opportunity_get_for_user(*, user: User, opportunity_id: int | str) -> tuple[Opportunity, bool]:
    """The opportunity and whether the user sees it as scheme staff."""
    try:
        opportunity = Opportunity.objects.select_related("employer", "role", "site", "pledge").get(
            pk=int(opportunity_id)
        )
    except (Opportunity.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such opportunity") from exc
    access = employer_get_for_user(user=user, employer_id=opportunity.employer_id)
    return opportunity, access.as_staff


def put_forward(resident_ref: str) -> Exists:
    """Whether the resident at `resident_ref` agrees, now, to be put forward to employers."""
    return Exists(
        ConsentRecord.objects.active().filter(
            resident_id=OuterRef(resident_ref), purpose=ConsentPurpose.PUT_FORWARD
        )
    )
