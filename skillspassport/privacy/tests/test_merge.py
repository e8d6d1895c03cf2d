"""Merging two records of the same person: nothing of either is lost, the duplicate is kept
and redirects, levels are recomputed, and only the right people may merge, within a council."""

from __future__ import annotations

import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.models import ConsentRecord, Resident
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.privacy import merge
from skillspassport.skills.models import OVERALL, PassportLevel
from skillspassport.support.models import Case


def confirm_post(**extra):
    return {"submission_token": str(uuid.uuid4()), "confirm": "on", **extra}


def merge_url(survivor, duplicate):
    return reverse("privacy:merge-confirm", args=[survivor.public_id, duplicate.public_id])


def test_every_relation_to_a_resident_is_handled_by_the_merge():
    """A new foreign key to Resident fails here until the merge says what it does with it."""
    assert merge.resident_relations() == set(merge.RELATIONS)


@pytest.mark.django_db
def test_merge_keeps_everything_of_both_records(client, demo, demo_admin, rich_resident):
    duplicate = rich_resident
    survivor = ResidentFactory(
        organisation=demo,
        user=demo_admin,
        first_name=duplicate.first_name,
        last_name=duplicate.last_name,
        date_of_birth=duplicate.date_of_birth,
    )
    before = {name: count(duplicate) for name, count in merge.COUNTED.items()}
    assert before["evidence"]
    assert sum(1 for held in before.values() if held) >= 4, before
    old_overall = PassportLevel.objects.get(resident=duplicate, strand_code=OVERALL).level
    earlier_event = AuditEvent.objects.filter(resident=duplicate).order_by("-seq").first()
    consents = ConsentRecord.objects.filter(resident__in=[survivor, duplicate]).count()

    client.force_login(demo_admin)
    page = client.get(merge_url(survivor, duplicate))
    body = page.content.decode()
    assert "Check these are the same person" in body
    assert "Record kept" in body
    assert "Record merged into it" in body
    response = client.post(merge_url(survivor, duplicate), confirm_post())
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[survivor.public_id])

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    assert duplicate.merged_at is not None
    for name, count in merge.COUNTED.items():
        assert count(survivor) == before[name] + (1 if name == "consents" else 0), name
        assert count(duplicate) == 0, name
    assert ConsentRecord.objects.filter(resident=survivor).count() == consents
    # One active consent per purpose: where both had one, the survivor's stands.
    active = list(ConsentRecord.objects.filter(resident=survivor).active().values_list("purpose"))
    assert len(active) == len(set(active))
    assert ConsentRecord.objects.filter(withdrawal_reason=merge.MERGED_CONSENT_REASON).exists()
    # Levels recomputed from all the evidence, none left on the duplicate.
    assert PassportLevel.objects.get(resident=survivor, strand_code=OVERALL).level == old_overall
    assert not PassportLevel.objects.filter(resident=duplicate).exists()
    # The duplicate's address leads to the survivor; it is listed nowhere.
    old = client.get(reverse("people:detail", args=[duplicate.public_id]))
    assert old.status_code == 302
    assert old.url == reverse("people:detail", args=[survivor.public_id])
    assert not Resident.objects.visible_to(demo_admin).filter(pk=duplicate.pk).exists()
    # Audited on both, with counts before and after; the earlier events are still read.
    event = AuditEvent.objects.get(resident=survivor, action=AuditAction.UPDATED)
    assert event.changes["evidence"] == [0, before["evidence"]]
    assert str(duplicate.public_id) in event.summary
    marked = AuditEvent.objects.get(resident=duplicate, action=AuditAction.UPDATED)
    assert marked.changes["merged_into"] == [None, str(survivor.public_id)]
    audit_page = client.get(reverse("people:audit", args=[survivor.public_id]))
    assert earlier_event.get_action_display() in audit_page.content.decode()
    assert earlier_event in audit_page.context["page"].object_list or any(
        e.pk == earlier_event.pk for e in audit_page.context["page"].paginator.object_list
    )
    call_command("audit_verify", verbosity=0)


@pytest.mark.django_db
def test_merge_needs_the_confirmation_and_changes_nothing_without_it(client, council, adviser):
    one = ResidentFactory(organisation=council, user=adviser, first_name="Kev", last_name="Adams")
    two = ResidentFactory(organisation=council, user=adviser, first_name="Kevin", last_name="Adams")
    client.force_login(adviser)
    response = client.post(merge_url(one, two), {"submission_token": str(uuid.uuid4())})
    assert response.status_code == 200
    assert "Confirm that you have checked these are the same person" in response.content.decode()
    assert not Resident.objects.filter(merged_into__isnull=False).exists()
    response = client.post(merge_url(one, two), {"submission_token": "nonsense", "confirm": "on"})
    assert "This form has expired" in response.content.decode()
    assert not Resident.objects.filter(merged_into__isnull=False).exists()


@pytest.mark.django_db
def test_possible_duplicates_of_a_record_are_offered_to_merge(client, council, adviser):
    one = ResidentFactory(organisation=council, user=adviser, first_name="Kev", last_name="Adams")
    two = ResidentFactory(organisation=council, user=adviser, first_name="Kevin", last_name="Adams")
    client.force_login(adviser)
    detail = client.get(reverse("people:detail", args=[one.public_id]))
    assert reverse("privacy:merge", args=[one.public_id]) in detail.content.decode()
    response = client.get(reverse("privacy:merge", args=[one.public_id]))
    assert merge_url(one, two) in response.content.decode()
    assert "First name may be a short form" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["viewer", "tutor", "analyst", "councillor"])
def test_only_those_who_may_merge_can(client, council, staff, adviser, role):
    one = ResidentFactory(organisation=council, user=adviser)
    two = ResidentFactory(organisation=council, user=adviser)
    client.force_login(staff[role])
    assert client.get(merge_url(one, two)).status_code in (403, 404)
    assert client.post(merge_url(one, two), confirm_post()).status_code in (403, 404)
    assert not Resident.objects.filter(merged_into__isnull=False).exists()


@pytest.mark.django_db
def test_records_of_another_council_cannot_be_merged(client, council, adviser, other_council):
    from skillspassport.accounts.models import Role
    from skillspassport.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=adviser, organisation=other_council, role=Role.ADVISER)
    one = ResidentFactory(organisation=council, user=adviser)
    two = ResidentFactory(organisation=other_council, user=adviser)
    client.force_login(adviser)
    response = client.post(merge_url(one, two), confirm_post())
    assert "Only records in the same council" in response.content.decode()
    assert not Resident.objects.filter(merged_into__isnull=False).exists()


@pytest.mark.django_db
def test_two_open_cases_with_one_organisation_must_be_closed_first(demo, demo_admin, client):
    first = Case.objects.filter(resident__organisation=demo, closed_on__isnull=True).first()
    second = (
        Case.objects.filter(organisation=first.organisation, closed_on__isnull=True)
        .exclude(resident=first.resident)
        .first()
    )
    one, two = first.resident, second.resident
    assert Case.objects.filter(resident=one, closed_on__isnull=True).exists()
    client.force_login(demo_admin)
    response = client.post(merge_url(one, two), confirm_post())
    body = response.content.decode()
    assert "These records cannot be merged yet" in body
    assert "open case with" in body
    assert Resident.objects.get(pk=two.pk).merged_into is None
    with pytest.raises(merge.MergeError):
        merge.residents_merge(user=demo_admin, survivor=one, duplicate=two)


@pytest.mark.django_db
def test_a_merged_record_is_no_longer_offered_as_a_duplicate(client, council, adviser):
    one = ResidentFactory(organisation=council, user=adviser, first_name="Kev", last_name="Adams")
    two = ResidentFactory(organisation=council, user=adviser, first_name="Kevin", last_name="Adams")
    merge.residents_merge(user=adviser, survivor=one, duplicate=two)
    client.force_login(adviser)
    response = client.get(reverse("privacy:merge", args=[one.public_id]))
    assert "No other record looks like the same person" in response.content.decode()
