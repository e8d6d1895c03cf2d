"""Whom a user acts for: the one answer every access check in the product reads.

A user acts for an organisation, for a capability, only through a membership of that
organisation whose role grants the capability (`accounts.roles`). The councils they act for are
the scheme councils of those organisations (`Organisation.scheme_council`: a council itself, or
the council a partner works with). Everything else — which residents, employers, cohorts, funds,
reports or plans a user may reach — is derived from this answer by the apps' guarded selectors.

The council a page acts for
---------------------------
Some pages work for exactly one council (the dashboard, reports, targeting, a new employer, the
budget policy, the credential settings). When the user acts for several councils with the
capability the page needs, the page acts for:

1. the council named by the request's ``council`` parameter (query string or form field), if it
   is one of those councils; otherwise
2. the council with the lowest id among them.

A ``council`` value naming a council the user does not act for (or garbage) is ignored, so it
never reveals whether that council exists. The rule lives in `choose_council_id` and nowhere
else.

The memberships are read once per request (one query, with each organisation's kind and
council) and kept on the user object in one cache, ``user.__dict__["_access"]``; answers derived
from them (scopes, councils, the organisations a user manages) are kept in the same cache
(`remembered`), so `forget` drops them all at once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from skillspassport.accounts.models import Membership, Organisation, OrganisationKind, User
from skillspassport.accounts.roles import Capability, role_grants

CACHE_KEY = "_access"
T = TypeVar("T")
COUNCIL_PARAMETER = "council"


@dataclass(frozen=True)
class Seat:
    """One organisation a user is a member of, in one role."""

    organisation_id: int
    kind: str
    council_id: int | None  # the organisation's scheme council (itself, for a council)
    role: str


@dataclass(frozen=True)
class Scope:
    """Where a user holds some capabilities: the organisations, and those organisations'
    councils. Falsy when the user holds none of them anywhere."""

    capabilities: frozenset[Capability]
    seats: tuple[Seat, ...] = ()
    organisation_ids: frozenset[int] = field(init=False)
    council_ids: frozenset[int] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "organisation_ids", frozenset(s.organisation_id for s in self.seats)
        )
        object.__setattr__(
            self,
            "council_ids",
            frozenset(s.council_id for s in self.seats if s.council_id is not None),
        )

    def __bool__(self) -> bool:
        return bool(self.seats)

    def holds(self, organisation_id: int | None) -> bool:
        """Whether the scope includes the organisation."""
        return organisation_id in self.organisation_ids

    def covers_council(self, council_id: int | None) -> bool:
        """Whether the organisation or council `council_id` is one of the scope's councils."""
        return council_id in self.council_ids

    def of_kinds(self, *kinds: str) -> Scope:
        """The same scope narrowed to organisations of the given kinds."""
        return Scope(self.capabilities, tuple(s for s in self.seats if s.kind in kinds))

    def acting_council_id(self, choice: object = None) -> int | None:
        """The council a page acts for (see the module docstring), or None if there is none."""
        return choose_council_id(self.council_ids, choice)

    def councils(self) -> QuerySet[Organisation]:
        """The scope's councils, by name."""
        return Organisation.objects.filter(pk__in=self.council_ids).order_by("name")


def choose_council_id(council_ids: Collection[int], choice: object = None) -> int | None:
    """The one rule for "the council this page acts for": `choice` if it names one of
    `council_ids`, else the lowest of them; None when there are none."""
    if not council_ids:
        return None
    if choice is not None:
        try:
            chosen = int(str(choice).strip())
        except ValueError:
            chosen = None
        if chosen in council_ids:
            return chosen
    return min(council_ids)


@dataclass
class _Cache:
    seats: tuple[Seat, ...]
    scopes: dict[frozenset[Capability], Scope] = field(default_factory=dict)
    councils: dict[int, Organisation] = field(default_factory=dict)
    derived: dict[str, object] = field(default_factory=dict)


def _cache(user: User) -> _Cache | None:
    if not user.is_authenticated or not user.is_active:
        return None
    cache: _Cache | None = user.__dict__.get(CACHE_KEY)
    if cache is None:
        seats = []
        for org_id, kind, council_id, role in (
            Membership.objects.filter(user=user)
            .order_by("organisation_id", "pk")
            .values_list(
                "organisation_id", "organisation__kind", "organisation__council_id", "role"
            )
        ):
            scheme = org_id if kind == OrganisationKind.COUNCIL else council_id
            seats.append(Seat(org_id, kind, scheme, role))
        cache = _Cache(tuple(seats))
        user.__dict__[CACHE_KEY] = cache
    return cache


def remembered(user: User, key: str, compute: Callable[[], T]) -> T:
    """`compute()` once per request for this user, kept with the memberships it derives from
    (and dropped with them by `forget`). An anonymous or inactive user's is not kept."""
    cache = _cache(user)
    if cache is None:
        return compute()
    if key not in cache.derived:
        cache.derived[key] = compute()
    return cache.derived[key]  # type: ignore[return-value]


def forget(user: User) -> None:
    """Drop the cached answer (after the user's memberships change in the same request)."""
    user.__dict__.pop(CACHE_KEY, None)


def scope_for(user: User, *capabilities: Capability) -> Scope:
    """Where `user` holds any of `capabilities` (all memberships when none is given)."""
    wanted = frozenset(capabilities)
    cache = _cache(user)
    if cache is None:
        return Scope(wanted)
    scope = cache.scopes.get(wanted)
    if scope is None:
        seats = tuple(
            s
            for s in cache.seats
            if not wanted or any(role_grants(s.role, capability) for capability in wanted)
        )
        scope = Scope(wanted, seats)
        cache.scopes[wanted] = scope
    return scope


def council_choice(request: HttpRequest) -> str | None:
    """The council the request asks to act for, if it names one (query string, then form)."""
    value = request.GET.get(COUNCIL_PARAMETER)
    if value is None and request.method == "POST":
        value = request.POST.get(COUNCIL_PARAMETER)
    return value


def acting_council_or_none(
    *,
    user: User,
    capabilities: Iterable[Capability],
    choice: object = None,
    kinds: Collection[str] = (),
) -> Organisation | None:
    """The council a page acts for, as an organisation, or None when the user has none.

    With `kinds`, only memberships of organisations of those kinds count (for example only
    councils themselves, not their partners, for a council's own settings).
    """
    scope = scope_for(user, *capabilities)
    if kinds:
        scope = scope.of_kinds(*kinds)
    council_id = scope.acting_council_id(choice)
    if council_id is None:
        return None
    cache = _cache(user)
    assert cache is not None  # a non-empty scope means a signed-in, active user
    council = cache.councils.get(council_id)
    if council is None:
        council = Organisation.objects.get(pk=council_id)
        cache.councils[council_id] = council
    return council


def acting_council(
    request: HttpRequest, *capabilities: Capability, kinds: Collection[str] = ()
) -> Organisation:
    """The council the page acts for, for a user holding any of `capabilities`;
    PermissionDenied when they hold none of them in any council's scheme."""
    council = acting_council_or_none(
        user=request.user,  # type: ignore[arg-type]
        capabilities=capabilities,
        choice=council_choice(request),
        kinds=kinds,
    )
    if council is None:
        raise PermissionDenied
    return council
