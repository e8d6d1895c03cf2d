"""Subject access: every model that holds a resident's data is covered, and the document,
the JSON download and the command give it to those who may answer the request."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from skillspassport.accounts.models import Role
from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.audit.services import audit_record
from skillspassport.people.services import equality_record, resident_update
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.privacy.subject_access import (
    SECTIONS,
    model_of,
    paths_to_resident,
    subject_access_build,
)


def test_every_model_with_a_path_to_a_resident_is_in_the_export():
    """A new model with a foreign key (direct or through others) to Resident must be added to
    SECTIONS, or this fails and names it."""
    paths = paths_to_resident()
    covered = {section.model: section.path for section in SECTIONS}
    missing = sorted(set(paths) - set(covered))
    assert missing == [], f"add these models to privacy.subject_access.SECTIONS: {missing}"
    assert sorted(set(covered) - set(paths)) == []
    for model, path in covered.items():
        assert path == paths[model], f"{model}: the path to the resident is {paths[model]!r}"


def test_each_section_leaves_out_only_fields_that_exist():
    for section in SECTIONS:
        names = {f.name for f in model_of(section)._meta.concrete_fields}
        assert section.omit <= names, section.key
        assert section.json_only <= names, section.key


@pytest.fixture
def resident(council, staff):
    resident = ResidentFactory(
        organisation=council,
        user=staff["adviser"],
        first_name="Marigold",
        last_name="Oyelaran",
        email="marigold@example.org",
        phone="07700 900555",
    )
    equality_record(user=staff["administrator"], resident=resident, answers={"sex": "female"})
    resident_update(user=staff["adviser"], resident=resident, details={"town": "Bootle"})
    audit_record(user=staff["viewer"], action=AuditAction.VIEWED, resident=resident)
    return resident


@pytest.mark.django_db
def test_the_export_holds_identity_consents_equality_history_and_who_looked(resident):
    data = json.loads(subject_access_build(resident=resident).as_json())
    sections = data["sections"]
    assert data["resident"] == str(resident.public_id)
    identity = sections["identity"]["records"][0]
    assert identity["first_name"] == "Marigold"
    assert identity["email"] == "marigold@example.org"
    assert "name_key" not in identity
    assert sections["consents"]["records"][0]["purpose"]["code"] == "scheme"
    assert sections["equality"]["records"][0]["sex"]["label"] == "Female"
    assert sections["revisions"]["records"][0]["previous"] == {"town": ""}
    viewers = [(e["user"], e["action"]["code"]) for e in sections["audit"]["records"]]
    assert ("Viewer User", "viewed") in viewers
    assert all("ip_address" not in e for e in sections["audit"]["records"])
    assert set(sections) == {section.key for section in SECTIONS}


@pytest.mark.django_db
def test_administrator_opens_the_document_and_the_json_and_both_are_audited(
    client, staff, resident
):
    client.force_login(staff["administrator"])
    page = client.get(reverse("privacy:subject-access", args=[resident.public_id]))
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("Marigold Oyelaran", "marigold@example.org", "07700 900555", "Viewer User"):
        assert text in html
    assert "Who viewed or changed the record" in html

    download = client.get(reverse("privacy:subject-access-json", args=[resident.public_id]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert json.loads(download.content)["sections"]["identity"]["records"][0]["last_name"] == (
        "Oyelaran"
    )
    exported = AuditEvent.objects.filter(
        resident=resident, action=AuditAction.SUBJECT_ACCESS_EXPORTED
    )
    assert sorted(e.summary for e in exported) == [
        "Subject access export (JSON)",
        "Subject access export (printable document)",
    ]
    assert all(e.user == staff["administrator"] for e in exported)


# Rights pages: only administrators of the resident's organisation. Roles that may see the
# resident get 403; the others (and every other council's staff) cannot tell it exists (404).
EXPECTED = {
    Role.ADMINISTRATOR: 200,
    Role.ADVISER: 403,
    Role.TUTOR: 403,
    Role.VIEWER: 403,
    Role.ANALYST: 404,
    Role.EMPLOYER_CONTACT: 404,
    Role.PROGRAMME_MANAGER: 404,
    Role.COUNCILLOR: 404,
}


def _rights_urls(resident):
    return [
        reverse(name, args=[resident.public_id])
        for name in (
            "privacy:resident",
            "privacy:subject-access",
            "privacy:subject-access-json",
            "privacy:erase",
        )
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role))
def test_who_may_open_the_rights_pages(client, staff, other_staff, resident, role):
    client.force_login(staff[role.value])
    for url in _rights_urls(resident):
        assert client.get(url).status_code == EXPECTED[role], url
    detail = client.get(reverse("people:detail", args=[resident.public_id]))
    if detail.status_code == 200:
        has_link = reverse("privacy:resident", args=[resident.public_id]) in detail.content.decode()
        assert has_link == (role == Role.ADMINISTRATOR)
    client.force_login(other_staff[role.value])
    for url in _rights_urls(resident):
        assert client.get(url).status_code == 404, url
    assert not AuditEvent.objects.filter(
        action=AuditAction.SUBJECT_ACCESS_EXPORTED, user=other_staff[role.value]
    ).exists()


@pytest.mark.django_db
def test_the_command_writes_json_and_text_and_is_audited(resident, staff):
    out = StringIO()
    call_command("subject_access", str(resident.public_id), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["sections"]["identity"]["records"][0]["phone"] == "07700 900555"
    text = StringIO()
    call_command(
        "subject_access", str(resident.public_id), "--by", staff["administrator"].email, stdout=text
    )
    assert "Marigold" in text.getvalue()
    assert "Equality monitoring answers" in text.getvalue()
    events = AuditEvent.objects.filter(
        resident=resident, action=AuditAction.SUBJECT_ACCESS_EXPORTED
    ).order_by("at", "id")
    assert [(e.user, e.summary) for e in events] == [
        (None, "Subject access export (JSON, command line)"),
        (staff["administrator"], "Subject access export (text, command line)"),
    ]


@pytest.mark.django_db
def test_the_command_explains_a_bad_id(resident):
    with pytest.raises(CommandError, match="not a resident id"):
        call_command("subject_access", "not-a-uuid")
    with pytest.raises(CommandError, match="No resident"):
        call_command("subject_access", "00000000-0000-0000-0000-000000000000")


@pytest.mark.django_db
def test_opening_the_rights_and_erasure_pages_is_audited(client, staff, resident):
    client.force_login(staff["administrator"])
    for url in _rights_urls(resident)[::3]:  # the rights page and the erasure page
        assert client.get(url).status_code == 200
    summaries = set(
        AuditEvent.objects.filter(
            resident=resident, action=AuditAction.VIEWED, user=staff["administrator"]
        ).values_list("summary", flat=True)
    )
    assert summaries == {
        "Data rights page (with earlier values of corrected details)",
        "Erasure page",
    }
