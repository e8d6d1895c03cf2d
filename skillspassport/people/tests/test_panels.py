"""The panel registry that composes a resident's pages from the apps above people."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from skillspassport.accounts.roles import Capability
from skillspassport.people import panels
from skillspassport.people.panels import Page, Panel, PanelRegistry, Viewing
from skillspassport.people.tests.factories import ResidentFactory


@pytest.fixture
def resident(council, adviser):
    return ResidentFactory(organisation=council, user=adviser, first_name="Kerry")


def panel(name, order, capability=None, page=Page.RESIDENT):
    return Panel(
        name=name,
        page=page,
        order=order,
        template=f"{name}.html",
        context=lambda viewing: {"shown": name},
        capability=capability,
    )


def test_panels_come_in_page_order_whatever_order_they_were_registered_in(staff, resident):
    registry = PanelRegistry()
    for each in (panel("c.last", 90), panel("a.first", 10), panel("b.tie", 50), panel("a.tie", 50)):
        registry.register(each)
    registry.register(panel("z.printed", 1, page=Page.PRINTABLE_PASSPORT))
    shown = registry.panels_for(page=Page.RESIDENT, resident=resident, user=staff["viewer"])
    assert [p.name for p in shown] == ["a.first", "a.tie", "b.tie", "c.last"]
    assert shown[0].context == {"shown": "a.first"}
    assert shown[0].template == "a.first.html"


def test_a_panel_with_a_capability_is_shown_only_to_roles_holding_it(staff, other_staff, resident):
    registry = PanelRegistry()
    registry.register(panel("people.everyone", 10))
    registry.register(panel("skills.recorders", 20, capability=Capability.RECORD_EVIDENCE))
    registry.register(panel("privacy.admins", 30, capability=Capability.HANDLE_RIGHTS_REQUESTS))

    def names(user):
        return [
            p.name for p in registry.panels_for(page=Page.RESIDENT, resident=resident, user=user)
        ]

    assert names(staff["administrator"]) == [
        "people.everyone",
        "skills.recorders",
        "privacy.admins",
    ]
    assert names(staff["adviser"]) == ["people.everyone", "skills.recorders"]
    assert names(staff["tutor"]) == ["people.everyone", "skills.recorders"]
    assert names(staff["viewer"]) == ["people.everyone"]
    # A capability counts only in the resident's own organisation.
    assert names(other_staff["administrator"]) == ["people.everyone"]


def test_two_different_panels_may_not_share_a_name_on_one_page():
    registry = PanelRegistry()
    first = panel("skills.passport", 10)
    registry.register(first)
    registry.register(first)  # registering the same panel again is harmless
    registry.register(panel("skills.passport", 10, page=Page.PRINTABLE_PASSPORT))
    with pytest.raises(ImproperlyConfigured):
        registry.register(panel("skills.passport", 20))


def test_panels_share_a_read_through_once(staff, resident):
    calls = []

    def selector(*, resident):
        calls.append(resident)
        return {"level": "bronze"}

    viewing = Viewing(resident=resident, user=staff["viewer"])
    assert viewing.once(selector) is viewing.once(selector)
    assert calls == [resident]


def test_the_apps_register_the_resident_pages_in_todays_order():
    assert [p.name for p in panels.registry.registered(Page.RESIDENT)] == [
        "skills.passport",
        "credentials.credentials",
        "people.details",
        "people.consent",
        "skills.evidence",
        "skills.history",
    ]
    assert [p.name for p in panels.registry.registered(Page.PRINTABLE_PASSPORT)] == [
        "skills.passport",
        "credentials.share_codes",
    ]


def test_resident_page_shows_each_section_once_in_order(client, staff, resident):
    client.force_login(staff["viewer"])
    body = client.get(reverse("people:detail", args=[resident.public_id])).content.decode()
    headings = [
        'id="passport">Passport<',
        'id="credentials">Verifiable credentials<',
        'id="details">Details<',
        'id="consent">Consent and lawful basis<',
        'id="evidence">Evidence<',
        'id="history">Level history<',
    ]
    assert all(body.count(h) == 1 for h in headings), body
    assert [body.index(h) for h in headings] == sorted(body.index(h) for h in headings)
    assert resident.email in body
