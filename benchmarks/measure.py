"""The measurements themselves; Django is set up by benchmarks.backend before this is imported."""

from __future__ import annotations

import random
import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection, models, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from skillspassport.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from skillspassport.demo.seeding import Batch, SyntheticResidents, write_batch
from skillspassport.people.models import ConsentRecord, Resident
from skillspassport.skills.models import CouncilScheme, Evidence, LevelRuleSet
from skillspassport.skills.services import passport_recompute

SEED = 20261123
BATCH = 2000
TODAY = date(2026, 11, 1)


def _percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def _stream(
    org: Organisation, user: User, rule_set: LevelRuleSet, count: int
) -> SyntheticResidents:
    return SyntheticResidents(
        organisation=org,
        user=user,
        rule_set=rule_set,
        rng=random.Random(SEED),
        local_authority_code="E08000014",
        today=TODAY,
        count=count,
        evidence_extra=3,
        # A scheme at scale: most residents early on (about 20 evidence items each on average).
        target_weights=(60, 28, 10, 2),
    )


def _raw_rows(model: type[models.Model], objs: list[Any]) -> tuple[str, list[tuple[Any, ...]]]:
    fields = list(model._meta.concrete_fields)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    rows = [
        tuple(f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields) for o in objs
    ]
    return sql, rows


def _assign_ids(batch: Batch, next_ids: dict[str, int]) -> None:
    for kind, objs in (("r", batch.residents), ("c", batch.consents), ("e", batch.evidence)):
        for obj in objs:
            obj.pk = next_ids[kind]
            next_ids[kind] += 1
    for consent in batch.consents:
        consent.resident_id = consent.resident.pk
    for item in batch.evidence:
        item.resident_id = item.resident.pk


def _empty_tables() -> None:
    with transaction.atomic():
        for model in (Evidence, ConsentRecord, Resident):
            model._base_manager.all()._raw_delete(model._base_manager.db)


def run(
    *,
    residents: int,
    requests: int,
    recompute_sample: int,
    backend: str,
    data: str | None = None,
) -> dict[str, float]:
    print("migrating and loading reference data", flush=True)
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0)
    result: dict[str, float] = {"residents": residents}
    if data:
        print("importing the national area data", flush=True)
        started = time.perf_counter()
        call_command("import_area_data", folder=Path(data), verbosity=0)
        result["area_import_s"] = time.perf_counter() - started
    council = Organisation.objects.create(name="Bench Council", kind=OrganisationKind.COUNCIL)
    adviser = User.objects.create_user(
        "bench@example.test", "bench-password-123", full_name="Bench"
    )
    Membership.objects.create(user=adviser, organisation=council, role=Role.ADVISER)
    rule_set = LevelRuleSet.objects.select_related("framework").get(name="default")
    CouncilScheme.objects.create(council=council, rule_set=rule_set)

    # 1. Raw executemany of the same rows (explicit ids), timed on the insert only.
    print("raw insert pass", flush=True)
    stream = _stream(council, adviser, rule_set, residents)
    next_ids = {"r": 1, "c": 1, "e": 1}
    raw_seconds, rows = 0.0, 0
    done = 0
    while done < residents:
        batch = stream.batch(min(BATCH, residents - done))
        _assign_ids(batch, next_ids)
        statements = [
            _raw_rows(m, objs)
            for m, objs in (
                (Resident, batch.residents),
                (ConsentRecord, batch.consents),
                (Evidence, batch.evidence),
            )
        ]
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for sql, params in statements:
                cursor.executemany(sql, params)
        raw_seconds += time.perf_counter() - started
        rows += sum(len(p) for _s, p in statements)
        done += len(batch.residents)
    _empty_tables()
    if backend == "postgres":
        with connection.cursor() as cursor:
            for model in (Resident, ConsentRecord, Evidence):
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), 1, false)",
                    [model._meta.db_table],
                )

    # 2. The product's seeding path: generate + ORM bulk insert, the same rows.
    print("ORM seeding pass", flush=True)
    stream = _stream(council, adviser, rule_set, residents)
    gen_seconds = orm_seconds = 0.0
    done = evidence_rows = 0
    while done < residents:
        started = time.perf_counter()
        batch = stream.batch(min(BATCH, residents - done))
        gen_seconds += time.perf_counter() - started
        started = time.perf_counter()
        write_batch(batch, recompute=False)
        orm_seconds += time.perf_counter() - started
        evidence_rows += len(batch.evidence)
        done += len(batch.residents)
        if done % 20000 == 0:
            print(f"  {done:,} residents", flush=True)
    result |= {
        "evidence_rows": evidence_rows,
        "evidence_per_resident": evidence_rows / residents,
        "seed_rows_per_s": rows / (gen_seconds + orm_seconds),
        "orm_insert_rows_per_s": rows / orm_seconds,
        "raw_insert_rows_per_s": rows / raw_seconds,
        "orm_to_raw_ratio": raw_seconds / orm_seconds,
        "seed_to_raw_ratio": raw_seconds / (gen_seconds + orm_seconds),
    }
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load in production: statistics for the
        # planner and a visibility map, so counts and paging can use index-only scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    # 3. Passport recompute rate over a random sample.
    print("recompute", flush=True)
    rng = random.Random(SEED)
    ids = list(Resident.objects.values_list("id", flat=True))
    sample = Resident.objects.filter(
        id__in=rng.sample(ids, min(recompute_sample, len(ids)))
    ).select_related("organisation")
    started = time.perf_counter()
    n = 0
    for resident in sample.iterator(chunk_size=1000):
        passport_recompute(resident=resident, cause="benchmark")
        n += 1
    result["recompute_per_s"] = n / (time.perf_counter() - started)

    # 4. Page latency through the whole Django stack (middleware, templates, audit writes).
    print("page latency", flush=True)
    client = Client()
    client.force_login(adviser)
    public_ids = list(Resident.objects.values_list("public_id", flat=True))
    last_names = list(Resident.objects.values_list("last_name", flat=True).distinct())
    pages = max(1, residents // 25)

    def timed(urls: list[tuple[str, dict[str, str]]]) -> tuple[list[float], int]:
        client.get(*urls[0])  # warm-up
        times = []
        for path, params in urls:
            started = time.perf_counter()
            response = client.get(path, params)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            client.get(*urls[-1])
        return times, len(queries.captured_queries)

    lists, result["list_queries"] = timed(
        [("/residents/", {"page": str(rng.randint(1, pages))}) for _ in range(requests)]
    )
    searches, _ = timed([("/residents/", {"q": rng.choice(last_names)}) for _ in range(requests)])
    details, result["detail_queries"] = timed(
        [(f"/residents/{rng.choice(public_ids)}/", {}) for _ in range(requests)]
    )
    for name, values in (("list", lists), ("search", searches), ("detail", details)):
        result[f"{name}_p50_ms"] = statistics.median(values)
        result[f"{name}_p95_ms"] = _percentile(values, 95)
    # 5. The six-monthly report at this size, against naive per-record ORM loops.
    print("monitoring report", flush=True)
    result |= report_benchmark(council)
    return result


def report_benchmark(council: Organisation) -> dict[str, float]:
    """Build the report's figures for the whole scheme (time, peak Python memory), and the same
    core KPIs the naive way - a query or more per resident - on a sample, scaled up."""
    import tracemalloc

    from skillspassport.people.models import EqualityMonitoring
    from skillspassport.reports import kpis
    from skillspassport.reports.services import report_figures
    from skillspassport.skills.models import PassportLevelChange

    period = kpis.Period.half_year(2026, 1)
    events = Evidence.objects.count() + PassportLevelChange.objects.count()
    tracemalloc.start()
    started = time.perf_counter()
    report_figures(council, period)
    report_seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    sample = list(Resident.objects.order_by("pk").values_list("pk", flat=True)[:2000])
    total = Resident.objects.count()
    started = time.perf_counter()
    supported = disabled = young = bronze = evidence = 0
    for resident in Resident.objects.filter(pk__in=sample):
        recorded = Evidence.objects.filter(
            resident=resident, recorded_at__gte=period.start_at, recorded_at__lt=period.end_at
        )
        if period.start_at <= resident.created_at < period.end_at or recorded.exists():
            supported += 1
            if EqualityMonitoring.objects.filter(resident=resident, disability="yes").exists():
                disabled += 1
            if 16 <= resident.age_on(period.end) <= 24:
                young += 1
        evidence += recorded.count()
        last = (
            PassportLevelChange.objects.filter(
                resident=resident, strand_code="overall", changed_at__lt=period.end_at
            )
            .order_by("-changed_at", "-pk")
            .first()
        )
        if last is not None and last.to_level:
            bronze += 1
    naive_seconds = (time.perf_counter() - started) * total / len(sample)
    return {
        "report_s": report_seconds,
        "report_peak_mib": peak / 2**20,
        "report_events": events,
        "report_naive_s_extrapolated": naive_seconds,
        "report_speedup": naive_seconds / report_seconds,
    }
