"""A resident's pages, composed from panels that the apps building on people contribute.

People sits below skills and credentials (see the layer contract in pyproject.toml), so its
views cannot ask those apps for a resident's levels, evidence or credentials. Instead each app
registers the panels it shows in its ``AppConfig.ready()``, people registers its own sections
(details, consent) the same way, and a page renders the panels registered for it in order:

    register(Panel(name="skills.evidence", page=Page.RESIDENT, order=50,
                   template="skills/panels/evidence.html", context=evidence_context))
    panels_for(page=Page.RESIDENT, resident=resident, user=user)  # in the view
    {% for panel in panels %}{% render_panel panel %}{% endfor %}  # in the template

A panel's context function receives a `Viewing` (the resident, the user, a capability check in
the resident's organisation, and `once()` so that panels sharing a read make it once per page).
A panel with a `capability` is left out for users who do not hold it in the resident's
organisation. The view guards the page itself (`resident_get_for_user`) and writes its audit
event; panels only read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from skillspassport.accounts.models import User
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import user_has_capability
from skillspassport.people import selectors
from skillspassport.people.models import Resident

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Page(StrEnum):
    """The pages composed from panels."""

    RESIDENT = "resident"  # people:detail, the resident's record
    PRINTABLE_PASSPORT = "printable_passport"  # people:passport, printed for the resident


class ResidentSelector(Protocol[T_co]):
    """A read about one resident, called as ``selector(resident=...)``."""

    def __call__(self, *, resident: Resident) -> T_co: ...


@dataclass
class Viewing:
    """One user looking at one resident's page: what each panel works out its context from."""

    resident: Resident
    user: User
    _shared: dict[object, Any] = field(default_factory=dict, init=False, repr=False)

    def can(self, capability: Capability) -> bool:
        """Whether the user holds `capability` in the resident's organisation."""
        return user_has_capability(
            user=self.user, capability=capability, organisation_id=self.resident.organisation_id
        )

    def once(self, selector: ResidentSelector[T]) -> T:
        """`selector(resident=...)`, read once per page however many panels ask for it."""
        if selector not in self._shared:
            self._shared[selector] = selector(resident=self.resident)
        result: T = self._shared[selector]
        return result


@dataclass(frozen=True)
class Panel:
    name: str  # unique on its page, "<app>.<what>"
    page: Page
    order: int  # ascending down the page
    template: str
    context: Callable[[Viewing], Mapping[str, Any]]
    capability: Capability | None = None  # shown only to holders in the resident's organisation


@dataclass(frozen=True)
class ShownPanel:
    """A panel as one page shows it: its template and the context worked out for this view."""

    panel: Panel
    context: Mapping[str, Any]

    @property
    def name(self) -> str:
        return self.panel.name

    @property
    def template(self) -> str:
        return self.panel.template


class PanelRegistry:
    def __init__(self) -> None:
        self._panels: dict[Page, dict[str, Panel]] = {page: {} for page in Page}

    def register(self, *panels: Panel) -> None:
        for panel in panels:
            registered = self._panels[panel.page].get(panel.name)
            if registered is not None and registered != panel:
                raise ImproperlyConfigured(
                    f"Two panels are called {panel.name!r} on the {panel.page} page."
                )
            self._panels[panel.page][panel.name] = panel

    def registered(self, page: Page) -> list[Panel]:
        """Every panel of `page`, in page order (ties by name, so the order never varies)."""
        return sorted(self._panels[page].values(), key=lambda p: (p.order, p.name))

    def panels_for(self, *, page: Page, resident: Resident, user: User) -> list[ShownPanel]:
        """The panels `user` sees on `page` for `resident`, in order, with their context."""
        viewing = Viewing(resident=resident, user=user)
        return [
            ShownPanel(panel, panel.context(viewing))
            for panel in self.registered(page)
            if panel.capability is None or viewing.can(panel.capability)
        ]


registry = PanelRegistry()
register = registry.register
panels_for = registry.panels_for


# People's own sections of the resident page, between the passport and the evidence.


def details_context(viewing: Viewing) -> dict[str, Any]:
    resident = viewing.resident
    return {
        "age": resident.age_on(timezone.localdate()),
        "equality_recorded": selectors.equality_recorded(resident=resident),
        "can_record_equality": viewing.can(Capability.RECORD_EQUALITY),
        "can_view_equality": viewing.can(Capability.VIEW_EQUALITY),
    }


def consent_context(viewing: Viewing) -> dict[str, Any]:
    consents = list(selectors.consents_for(resident=viewing.resident))
    for consent in consents:  # each withdraw button is its own one-time form
        consent.withdraw_token = uuid.uuid4()  # type: ignore[attr-defined]
    return {"consents": consents, "can_edit": viewing.can(Capability.EDIT_RESIDENTS)}


PANELS = (
    Panel(
        name="people.details",
        page=Page.RESIDENT,
        order=30,
        template="people/panels/details.html",
        context=details_context,
    ),
    Panel(
        name="people.consent",
        page=Page.RESIDENT,
        order=40,
        template="people/panels/consent.html",
        context=consent_context,
    ),
)

__all__ = [
    "PANELS",
    "Page",
    "Panel",
    "PanelRegistry",
    "ResidentSelector",
    "ShownPanel",
    "Viewing",
    "panels_for",
    "register",
    "registry",
]
