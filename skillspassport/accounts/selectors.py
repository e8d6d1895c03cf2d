"""Reads about organisations and what a user may do in them.

Whom a user acts for is answered in `skillspassport.accounts.access` (`scope_for`,
`acting_council`); the functions here are the short forms most callers want.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import Http404

from skillspassport.accounts.access import acting_council_or_none, forget, remembered, scope_for
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


# --- User administration: which organisations' users a user may manage -----------------------


def organisation_ids_managed_by(*, user: User) -> frozenset[int]:
    """Ids of the organisations whose users and memberships `user` may manage.

    An administrator of a council manages that council and its partner organisations (those
    whose `council` it is); an administrator of a partner manages that organisation only.
    Nothing else, ever: this is the one answer every user-administration page and service uses.
    """
    return remembered(user, "managed_organisation_ids", lambda: _managed_ids(user))


def _managed_ids(user: User) -> frozenset[int]:
    ids = organisation_ids_where(user=user, capability=Capability.MANAGE_USERS)
    if not ids:
        return frozenset()
    return frozenset(
        Organisation.objects.filter(
            Q(id__in=ids) | Q(council_id__in=ids, council__kind=OrganisationKind.COUNCIL)
        ).values_list("id", flat=True)
    )


def forget_memberships(*, user: User) -> None:
    """Drop what this request has cached about the user's memberships (after changing them)."""
    forget(user)


def organisations_managed_by(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(id__in=organisation_ids_managed_by(user=user)).order_by(
        F("council_id").asc(nulls_first=True), "name"
    )


def managed_users(
    *,
    manager: User,
    query: str = "",
    role: str = "",
    organisation_id: int | None = None,
) -> QuerySet[User]:
    """Users with at least one membership in an organisation `manager` manages, optionally
    matching a name or email, holding `role`, or belonging to one of those organisations.
    Each carries `managed_memberships`: their memberships in those organisations only."""
    org_ids = organisation_ids_managed_by(user=manager)
    in_scope = Membership.objects.filter(organisation_id__in=org_ids)
    matching = in_scope
    if role:
        matching = matching.filter(role=role)
    if organisation_id is not None:
        matching = matching.filter(organisation_id=organisation_id)
    users = User.objects.filter(id__in=matching.values("user_id"))
    if query:
        users = users.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    return users.order_by("full_name", "email").prefetch_related(
        Prefetch(
            "memberships",
            queryset=in_scope.select_related("organisation").order_by("organisation__name", "role"),
            to_attr="managed_memberships",
        )
    )


def managed_user_get(*, manager: User, user_id: int) -> User:
    """A user `manager` may manage, with `managed_memberships`; 404 for anyone else, so a
    guessed id reveals nothing about other councils' staff."""
    user = managed_users(manager=manager).filter(pk=user_id).first()
    if user is None:
        raise Http404("No such user")
    return user


def managed_membership_get(*, manager: User, user: User, membership_id: int) -> Membership:
    org_ids = organisation_ids_managed_by(user=manager)
    membership = (
        Membership.objects.filter(pk=membership_id, user=user, organisation_id__in=org_ids)
        .select_related("organisation", "user")
        .first()
    )
    if membership is None:
        raise Http404("No such membership")
    return membership


def memberships_outside(*, manager: User, user: User) -> int:
    """How many of `user`'s memberships are in organisations `manager` does not manage."""
    org_ids = organisation_ids_managed_by(user=manager)
    return Membership.objects.filter(user=user).exclude(organisation_id__in=org_ids).count()


def user_is_fully_managed(*, manager: User, user: User) -> bool:
    """Whether `manager` may change `user` (roles, memberships, deactivation): only if every
    membership the user holds is one `manager` manages and the user is not a platform
    operator. Otherwise `manager` may only remove the memberships they do manage."""
    if user.is_superuser or user.is_staff:
        return False
    return memberships_outside(manager=manager, user=user) == 0


def member_emails(*, organisation_id: int, roles: Iterable[str]) -> list[str]:
    """The email addresses of an organisation's active members in any of `roles`."""
    return sorted(
        set(
            Membership.objects.filter(
                organisation_id=organisation_id, role__in=list(roles), user__is_active=True
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
