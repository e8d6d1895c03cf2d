from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor
from skillspassport.skills.services import evidence_record

LIST = reverse("people:list")


@pytest.fixture
def people(council, adviser):
    return [
        ResidentFactory(
            organisation=council,
            user=adviser,
            first_name="Mary",
            last_name="Rimmer",
            date_of_birth=date(1970, 5, 4),
            email="mary@example.org",
            phone="0151 496 0001",
            postcode="L20 1AD",
        ),
        ResidentFactory(
            organisation=council,
            user=adviser,
            first_name="John",
            last_name="Rimmer-Hughes",
            date_of_birth=date(1990, 1, 2),
            email="",
            phone="07700 900444",
            postcode="L20 0AH",
        ),
        ResidentFactory(
            organisation=council,
            user=adviser,
            first_name="Anne",
            last_name="Smith",
            date_of_birth=date(1955, 12, 25),
            email="anne@example.org",
            postcode="L20 1AD",
        ),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("rimmer", {"Mary", "John"}),
        ("mary rimmer", {"Mary"}),
        ("MARY@example.org", {"Mary"}),
        ("l200ah", {"John"}),
        ("04/05/1970", {"Mary"}),
        ("07700900444", {"John"}),
        ("0151 496", {"Mary"}),
        ("zzz", set()),
        ("%", set()),
        ("' OR 1=1 --", set()),
        ("31/02/2000", set()),
    ],
)
def test_search(client, adviser, people, query, expected):
    client.force_login(adviser)
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    found = {r.first_name for r in response.context["page"].object_list}
    assert found == expected


def test_search_is_audited_without_listing_people(client, adviser, people):
    client.force_login(adviser)
    client.get(LIST, {"q": "rimmer"})
    search = AuditEvent.objects.get(action=AuditAction.SEARCHED)
    assert search.resident is None
    assert search.summary == "Searched residents by name: 2 shown"
    shown = AuditEvent.objects.filter(action=AuditAction.LISTED)
    assert sorted(e.resident.last_name for e in shown) == ["Rimmer", "Rimmer-Hughes"]
    # What was typed is never kept.
    assert not AuditEvent.objects.filter(summary__icontains="rimmer").exists()


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("04/05/1970", "by date of birth"),
        ("mary@example.org", "by email"),
        ("07700 900444", "by phone"),
        ("L20 1AD", "by postcode"),
        ("Arnold Rimmer", "by name"),
    ],
)
def test_searches_record_only_their_kind(client, adviser, people, query, kind):
    client.force_login(adviser)
    client.get(LIST, {"q": query})
    search = AuditEvent.objects.get(action=AuditAction.SEARCHED)
    assert search.summary.startswith(f"Searched residents {kind}:")
    assert query.casefold() not in search.summary.casefold()


def test_overlong_search_gets_a_message(client, adviser, people):
    client.force_login(adviser)
    response = client.get(LIST, {"q": "x" * 500})
    assert response.status_code == 200
    assert "Search must be 100 characters or fewer" in response.content.decode()


def test_filter_by_level(client, adviser, people):
    client.force_login(adviser)
    response = client.get(LIST, {"level": "none"})
    assert len(response.context["page"].object_list) == 3
    assert len(client.get(LIST, {"level": "gold"}).context["page"].object_list) == 0


def test_list_uses_a_constant_number_of_queries(client, adviser, council):
    client.force_login(adviser)
    ResidentFactory(organisation=council, user=adviser)
    client.get(LIST)  # warm caches (session, framework)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(15):
        ResidentFactory(organisation=council, user=adviser)
    with CaptureQueriesContext(connection) as many:
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 16
    assert len(many.captured_queries) == len(few.captured_queries)


def test_resident_page_uses_a_constant_number_of_queries(client, adviser, council):

    resident = ResidentFactory(organisation=council, user=adviser)
    client.force_login(adviser)
    url = reverse("people:detail", args=[resident.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    evidence_record(
        user=adviser,
        resident=resident,
        descriptors=Descriptor.objects.all()[:30],
        method="qualification",
        shown_on=date(2026, 1, 1),
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_pagination(client, adviser, council):
    for _ in range(27):
        ResidentFactory(organisation=council, user=adviser)
    client.force_login(adviser)
    first = client.get(LIST)
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(LIST, {"page": "2"})
    assert len(second.context["page"].object_list) == 2
    assert client.get(LIST, {"page": "999"}).status_code == 200
    assert client.get(LIST, {"page": "abc"}).status_code == 200


def test_page_links_without_a_level_filter_list_everyone(client, adviser, council):
    """A bare ?page= link must not narrow the list to residents with no level."""
    with_level = ResidentFactory(organisation=council, user=adviser, last_name="Aardvark")
    evidence_record(
        user=adviser,
        resident=with_level,
        descriptors=Descriptor.objects.filter(level__code="foundation"),
        method="qualification",
        shown_on=date(2026, 1, 1),
    )
    ResidentFactory(organisation=council, user=adviser, last_name="Zebedee")
    client.force_login(adviser)
    for params in ({"page": "1"}, {"q": "", "level": ""}, {"level": "any"}):
        body = client.get(LIST, params).content.decode()
        assert "Aardvark" in body, params
        assert "Zebedee" in body, params
    only_none = client.get(LIST, {"level": "none"}).content.decode()
    assert "Zebedee" in only_none


@pytest.mark.django_db
def test_search_columns_have_trigram_indexes_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are a PostgreSQL feature")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'people_resident'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"resident_name_key_trgm", "resident_phone_key_trgm"} <= names
