"""Reads about organisations and what a user may do in them.

Whom a user acts for is answered in `skillspassport.accounts.access` (`scope_for`,
`acting_council`); the functions here are the short forms most callers want.
"""

from __future__ import annotations

from django.db.models import QuerySet

from skillspassport.accounts.access import acting_council_or_none, scope_for
from skillspassport.accounts.models import Membership, Organisation, OrganisationKind, User
from skillspassport.accounts.roles import Capability


def organisation_ids_where(*, user: User, capability: Capability) -> frozenset[int]:
    """Ids of the organisations in which `user` holds `capability`."""
    return scope_for(user, capability).organisation_ids


def user_has_capability(
    *, user: User, capability: Capability, organisation_id: int | None = None
) -> bool:
    """Whether the user holds `capability` in the given organisation (or in any, if None)."""
    scope = scope_for(user, capability)
    if organisation_id is None:
        return bool(scope)
    return scope.holds(organisation_id)


def administers_a_council(*, user: User) -> bool:
    """Whether the user is an administrator of a council itself (not of a partner)."""
    return bool(scope_for(user, Capability.MANAGE_ORGANISATION).of_kinds(OrganisationKind.COUNCIL))


def organisations_where(*, user: User, capability: Capability) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        id__in=organisation_ids_where(user=user, capability=capability)
    )


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def scheme_council_name(*, user: User, choice: object = None) -> str:
    """The name of the council whose scheme the user works in: of all their memberships, the
    council chosen by the rule in `accounts.access` ("" for a user with none)."""
    council = acting_council_or_none(user=user, capabilities=(), choice=choice)
    return council.name if council else ""
