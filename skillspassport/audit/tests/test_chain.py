"""The audit log is tamper-evident: a raw SQL change, removal or insertion is found."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from skillspassport.audit import hashing
from skillspassport.audit.chain import audit_chain_verify
from skillspassport.audit.models import AuditAction, AuditChainHead, AuditEvent
from skillspassport.audit.services import audit_record, audit_shown
from skillspassport.people.tests.factories import ResidentFactory

TABLE = AuditEvent._meta.db_table


@contextmanager
def raw_writes_allowed():
    """What someone with the database owner's rights could do: switch off the PostgreSQL
    trigger that refuses changes (SQLite has none), for the test's transaction only."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_event_append_only")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_event_append_only")


@pytest.fixture
def log(council, adviser):
    """A short log: three residents registered (an event each), a list page showing them
    (an event each) and one resident opened."""
    residents = [ResidentFactory(organisation=council, user=adviser) for _ in range(3)]
    audit_shown(user=adviser, residents=residents, action=AuditAction.LISTED, summary="list")
    audit_record(user=adviser, action=AuditAction.VIEWED, resident=residents[0])
    events = list(AuditEvent.objects.order_by("seq"))
    assert len(events) == 7
    return events


def verify() -> str:
    try:
        call_command("audit_verify", verbosity=0)
    except CommandError as error:
        return str(error)
    return ""


def test_a_clean_log_verifies(log, capsys):
    call_command("audit_verify")
    assert "The audit chain is whole: 7 events" in capsys.readouterr().out
    head = AuditChainHead.objects.get()
    assert (head.seq, head.hash) == (7, log[-1].hash)
    assert [e.seq for e in log] == list(range(1, 8))


def test_each_event_is_linked_to_the_one_before(log):
    previous = hashing.GENESIS
    for event in log:
        assert event.hash == hashing.link(previous, event.canonical())
        previous = event.hash


def test_a_raw_update_is_detected(log):
    with raw_writes_allowed() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET summary = %s WHERE id = %s", ["x", log[4].pk])
    problem = verify()
    assert f"Event 5 (id {log[4].pk}) does not match its hash" in problem
    assert "after 4 good events" in problem


def test_a_rewritten_hash_breaks_the_next_link(log):
    """Recomputing the altered row's own hash does not help: the next event no longer fits."""
    log[2].summary = "altered"
    forged = hashing.link(log[1].hash, log[2].canonical())
    with raw_writes_allowed() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET summary = %s, hash = %s WHERE id = %s",
            ["altered", forged, log[2].pk],
        )
    assert f"Event 4 (id {log[3].pk}) does not match its hash" in verify()


def test_a_raw_delete_is_detected(log):
    with raw_writes_allowed() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [log[3].pk])
    assert "Event 4 of the chain is missing" in verify()


def test_removing_the_last_events_is_detected(log):
    with raw_writes_allowed() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE seq > 5")
    assert "events were removed from the end" in verify()


def test_a_raw_insert_out_of_chain_is_detected(log):
    row = log[0]
    with raw_writes_allowed() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (at, action, summary, fields, changes, seq, hash) "
            "VALUES (%s, 'viewed', 'forged', '[]', '{}', %s, %s)",
            [row.at, 8, log[-1].hash],
        )
    assert "Event 8 (id" in verify()
    with raw_writes_allowed() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE seq = 8")
        cursor.execute(
            f"INSERT INTO {TABLE} (at, action, summary, fields, changes, seq, hash) "
            "VALUES (%s, 'viewed', 'forged', '[]', '{}', %s, '')",
            [row.at, 100],
        )
    assert "written outside the chain" in verify()


def test_models_refuse_changes_and_new_events_join_the_chain(log, adviser):
    event = AuditEvent(user=adviser, action=AuditAction.SEARCHED, summary="by name, 2 found")
    event.save()
    assert event.seq == 8
    assert event.hash == hashing.link(log[-1].hash, event.canonical())
    with pytest.raises(PermissionError):
        event.save()
    assert audit_chain_verify().ok


def test_a_batch_costs_the_same_few_queries_however_many_residents(council, adviser):
    residents = [ResidentFactory(organisation=council, user=adviser) for _ in range(30)]
    with CaptureQueriesContext(connection) as one:
        audit_shown(user=adviser, residents=residents[:1], action=AuditAction.LISTED)
    with CaptureQueriesContext(connection) as thirty:
        events = audit_shown(user=adviser, residents=residents * 2, action=AuditAction.LISTED)
    assert len(thirty.captured_queries) == len(one.captured_queries) <= 3
    assert [e.resident_id for e in events] == [r.pk for r in residents]  # once each, in order
    assert all(e.organisation_id == council.pk for e in events)
    assert audit_chain_verify().ok


def test_values_are_hashed_as_the_database_returns_them(council, adviser):
    audit_record(
        user=adviser,
        action=AuditAction.RULES_CHANGED,
        organisation=council,
        changes={"weight": (0.5, 1e20), "cap": (1, 2.0), "name": ("a\u200b", "ü")},
        request=type("R", (), {"META": {"REMOTE_ADDR": "::FFFF:10.0.0.1"}})(),
    )
    assert audit_chain_verify().ok


@pytest.mark.postgres_only
def test_postgresql_refuses_update_and_delete(log):
    from django.db import DatabaseError, transaction

    for sql in (f"UPDATE {TABLE} SET summary = 'x'", f"DELETE FROM {TABLE}"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    from skillspassport.accounts.models import Organisation, OrganisationKind

    council = Organisation.objects.create(name="Chain Council", kind=OrganisationKind.COUNCIL)
    barrier = threading.Barrier(6)
    errors: list[Exception] = []

    def write(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            for n in range(10):
                audit_record(
                    user=None,
                    action=AuditAction.RULES_CHANGED,
                    organisation=council,
                    summary=f"writer {index}, event {n}",
                )
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    report = audit_chain_verify()
    assert report.ok, report.problem
    assert report.checked == 60
