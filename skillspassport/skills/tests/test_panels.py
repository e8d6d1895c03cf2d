"""The skills panels of a resident's pages: levels, evidence and history, on screen and printed."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills import selectors
from skillspassport.skills.models import Descriptor
from skillspassport.skills.services import evidence_record


@pytest.fixture
def bronze_resident(council, adviser):
    resident = ResidentFactory(organisation=council, user=adviser, first_name="Kerry")
    evidence_record(
        user=adviser,
        resident=resident,
        descriptors=Descriptor.objects.filter(level__code="foundation"),
        method="observed_adviser",
        shown_on=date(2026, 10, 1),
    )
    return resident


def test_resident_page_shows_levels_evidence_and_history(client, staff, bronze_resident):
    client.force_login(staff["viewer"])
    body = client.get(reverse("people:detail", args=[bronze_resident.public_id])).content.decode()
    passport = body[body.index('id="passport"') : body.index('id="credentials"')]
    assert "Levels by strand" in passport
    assert "Bronze" in passport
    evidence = body[body.index('id="evidence"') : body.index('id="history"')]
    foundation = Descriptor.objects.filter(level__code="foundation").first()
    assert foundation.text in evidence
    history = body[body.index('id="history"') :]
    assert "No changes yet." not in history
    assert "<strong>Bronze</strong>" in history


@pytest.mark.parametrize(("role", "sees_actions"), [("tutor", True), ("viewer", False)])
def test_only_roles_that_record_evidence_get_the_evidence_actions(
    client, staff, bronze_resident, role, sees_actions
):
    client.force_login(staff[role])
    pid = bronze_resident.public_id
    body = client.get(reverse("people:detail", args=[pid])).content.decode()
    assert (reverse("skills:evidence-record", args=[pid, "digital"]) in body) is sees_actions
    assert ("Withdraw<span" in body) is sees_actions


def test_printable_passport_lists_verified_skills_without_actions(client, adviser, bronze_resident):
    client.force_login(adviser)
    pid = bronze_resident.public_id
    body = client.get(reverse("people:passport", args=[pid])).content.decode()
    assert "What Kerry can do" in body
    assert Descriptor.objects.filter(level__code="foundation").first().text in body
    assert "Bronze" in body
    assert reverse("skills:evidence-record", args=[pid, "digital"]) not in body


def test_the_passport_is_worked_out_once_per_page(client, adviser, bronze_resident, monkeypatch):
    calls = []
    real = selectors.passport_summary

    def counted(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(selectors, "passport_summary", counted)
    client.force_login(adviser)
    client.get(reverse("people:detail", args=[bronze_resident.public_id]))
    assert len(calls) == 1  # the passport, evidence and credentials panels share it
