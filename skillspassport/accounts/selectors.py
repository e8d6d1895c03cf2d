"""Reads about organisations and what a user may do in them."""

from __future__ import annotations

from django.db.models import QuerySet

from skillspassport.accounts.models import Membership, Organisation, User
from skillspassport.accounts.roles import Capability, roles_with


def organisation_ids_where(*, user: User, capability: Capability) -> frozenset[int]:
    """Ids of the organisations in which `user` holds `capability`.

    Cached on the user object for the life of the request, because every page asks.
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    memberships: list[tuple[int, str]] | None = user.__dict__.get("_memberships")
    if memberships is None:
        memberships = list(
            Membership.objects.filter(user=user).values_list("organisation_id", "role")
        )
        user.__dict__["_memberships"] = memberships
    roles = set(roles_with(capability))
    return frozenset(org_id for org_id, role in memberships if role in roles)


def user_has_capability(
    *, user: User, capability: Capability, organisation_id: int | None = None
) -> bool:
    """Whether the user holds `capability` in the given organisation (or in any, if None)."""
    orgs = organisation_ids_where(user=user, capability=capability)
    if organisation_id is None:
        return bool(orgs)
    return organisation_id in orgs


def administers_a_council(*, user: User) -> bool:
    """Whether the user is an administrator of a council itself (not of a partner)."""
    orgs = organisation_ids_where(user=user, capability=Capability.MANAGE_ORGANISATION)
    return bool(orgs) and Organisation.objects.filter(id__in=orgs, kind="council").exists()


def organisations_where(*, user: User, capability: Capability) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        id__in=organisation_ids_where(user=user, capability=capability)
    )


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def scheme_council_name(*, user: User) -> str:
    """The name of the council whose scheme the user works in (their first membership's)."""
    if not user.is_authenticated:
        return ""
    membership = (
        Membership.objects.filter(user=user)
        .select_related("organisation__council")
        .order_by("pk")
        .first()
    )
    council = membership.organisation.scheme_council if membership else None
    return council.name if council else ""
