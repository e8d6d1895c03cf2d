"""Writes for area targeting: importing open data, recording runs, saving plans."""

from __future__ import annotations

import csv
import gzip
import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.targeting import readers, slices
from skillspassport.targeting.analytics.risk import Method, Scoring
from skillspassport.targeting.models import (
    AreaGeography,
    AreaIndicators,
    IndicatorDataset,
    TargetingPlan,
    TargetingRun,
)

DATA_DIR = slices.DATA_DIR
BATCH = 2000

Progress = Callable[[int], object]


def _sha256(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


@transaction.atomic
def dataset_store(
    *,
    dataset: readers.Dataset,
    values: readers.Values,
    source: str,
    sha256: str,
    replace: bool = True,
    progress: Progress | None = None,
) -> tuple[IndicatorDataset, str]:
    """Store one dataset vintage whole, in one transaction. Returns (dataset, what happened).

    The same content again does nothing. Different content for the same vintage replaces it
    (unless `replace` is False, as for the shipped slice, which never overwrites a fuller
    import). Another vintage is stored beside the existing ones.
    """
    existing = (
        IndicatorDataset.objects.select_for_update()
        .filter(code=dataset.code, vintage=dataset.vintage)
        .first()
    )
    if existing is not None and (existing.source_sha256 == sha256 or not replace):
        return existing, "unchanged"
    if existing is not None:
        existing.rows.all().delete()
        record, outcome = existing, "replaced"
    else:
        record = IndicatorDataset(code=dataset.code, vintage=dataset.vintage)
        outcome = "added"
    record.label, record.geography = dataset.label, dataset.geography
    record.source, record.source_sha256, record.areas = source[:300], sha256, len(values)
    record.save()
    rows = [AreaIndicators(dataset=record, area_code=c, values=v) for c, v in values.items()]
    for start in range(0, len(rows), BATCH):
        AreaIndicators.objects.bulk_create(rows[start : start + BATCH])
        if progress is not None:
            progress(len(rows[start : start + BATCH]))
    return record, outcome


def dataset_import(
    *, dataset_code: str, path: Path, progress: Progress | None = None
) -> tuple[IndicatorDataset, str]:
    """Read a national file in its official layout (refused whole if anything is wrong)."""
    dataset = readers.DATASETS[dataset_code]
    values = readers.read(dataset, path)
    return dataset_store(
        dataset=dataset,
        values=values,
        source=path.name,
        sha256=_sha256([path]),
        progress=progress,
    )


def _combined_authorities() -> dict[str, str]:
    with open(DATA_DIR / "lookup_ltla23_cauth23.csv", encoding="utf-8-sig") as handle:
        return {row["ltla23_code"]: row["cauth23_code"] for row in csv.DictReader(handle)}


def _msoa21_codes(folder: Path | None) -> dict[str, str]:
    """MSOA 2021 name -> code: national boundaries' properties if present, else the LCR list."""
    if folder is not None:
        path = folder / "boundaries/national/boundaries_msoa21.geojson.gz"
        if path.exists():
            with gzip.open(path, "rb") as handle:
                features = json.load(handle)["features"]
            return {
                f["properties"]["msoa21_name"]: f["properties"]["msoa21_code"] for f in features
            }
    return slices.msoa21_codes()


@transaction.atomic
def geography_import_lsoa21(*, path: Path, folder: Path | None = None) -> int:
    """LSOA 2021 -> MSOA, 2024 ward, local authority (ONS lookup layout) and combined authority."""
    combined = _combined_authorities()
    msoa_codes = _msoa21_codes(folder)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        needed = {"lsoa21_code", "lsoa21_name", "ward24_code", "ward24_name", "ltla24_code"}
        missing = needed - set(reader.fieldnames or [])
        if missing:
            raise readers.ImportFileError(
                f"{path.name}: not the LSOA 2021 to ward lookup; missing "
                + ", ".join(sorted(missing))
            )
        rows = []
        for line, row in enumerate(reader, start=2):
            if not readers.LSOA_CODE.match(row["lsoa21_code"]):
                raise readers.ImportFileError(f"{path.name}, row {line}, column lsoa21_code")
            rows.append(row)
    existing = set(AreaGeography.objects.filter(vintage=2021).values_list("code", flat=True))
    AreaGeography.objects.bulk_create(
        [
            AreaGeography(
                code=row["lsoa21_code"],
                vintage=2021,
                name=row["lsoa21_name"],
                ward_code=row["ward24_code"],
                ward_name=row["ward24_name"],
                msoa_name=slices.msoa_name_of(row["lsoa21_name"]),
                msoa_code=msoa_codes.get(slices.msoa_name_of(row["lsoa21_name"]), ""),
                local_authority_code=row["ltla24_code"],
                local_authority_name=row.get("ltla24_name", ""),
                combined_authority_code=combined.get(row["ltla24_code"], ""),
            )
            for row in rows
            if row["lsoa21_code"] not in existing
        ],
        batch_size=BATCH,
    )
    return len(rows) - len(existing & {r["lsoa21_code"] for r in rows})


def _csv_rows(path: Path, needed: set[str]) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = needed - set(reader.fieldnames or [])
        if missing:
            raise readers.ImportFileError(
                f"{path.name}: not the expected layout; missing " + ", ".join(sorted(missing))
            )
        rows = list(reader)
    for line, row in enumerate(rows, start=2):
        for column in needed:
            if column.endswith(("CD", "_code", "_CD")) and not row[column].strip():
                raise readers.ImportFileError(f"{path.name}, row {line}, column {column}: blank")
    return rows


@transaction.atomic
def geography_import_lsoa11(*, folder: Path) -> int:
    """LSOA 2011 areas for England: best-fit 2021 LSOA and local authority (ONS best-fit v2),
    2019 ward, MSOA, combined authority and Internet User Classification 2018 group."""
    best_fit = _csv_rows(
        folder / "lookups/LSOA11_to_LSOA21_to_LAD22_best_fit_Lookup_EW_v2.csv",
        {"LSOA11CD", "LSOA11NM", "LSOA21CD", "LAD22CD", "LAD22NM"},
    )
    wards = {
        r["LSOA11CD"]: r
        for r in _csv_rows(
            folder / "lookups/LSOA11_to_Ward2019_LAD2019_Lookup_EW.csv",
            {"LSOA11CD", "WD19CD", "WD19NM"},
        )
    }
    msoas = {
        r["lsoa11_code"]: r
        for r in _csv_rows(
            folder / "lookups/lookup_lsoa11_msoa11.csv",
            {"lsoa11_code", "msoa11_code", "msoa11_name"},
        )
    }
    groups = {
        r["LSOA11_CD"]: r["GRP_LABEL"]
        for r in _csv_rows(folder / "iuc/iuc2018.csv", {"LSOA11_CD", "GRP_LABEL"})
    }
    combined = _combined_authorities()
    existing = set(AreaGeography.objects.filter(vintage=2011).values_list("code", flat=True))
    new = [
        AreaGeography(
            code=r["LSOA11CD"],
            vintage=2011,
            name=r["LSOA11NM"],
            msoa_code=msoas.get(r["LSOA11CD"], {}).get("msoa11_code", ""),
            msoa_name=msoas.get(r["LSOA11CD"], {}).get("msoa11_name", ""),
            ward_code=wards.get(r["LSOA11CD"], {}).get("WD19CD", ""),
            ward_name=wards.get(r["LSOA11CD"], {}).get("WD19NM", ""),
            local_authority_code=r["LAD22CD"],
            local_authority_name=r["LAD22NM"],
            combined_authority_code=combined.get(r["LAD22CD"], ""),
            best_fit_2021=r["LSOA21CD"],
            category=groups.get(r["LSOA11CD"], ""),
        )
        for r in best_fit
        if r["LSOA11CD"].startswith("E") and r["LSOA11CD"] not in existing
    ]
    AreaGeography.objects.bulk_create(new, batch_size=BATCH)
    return len(new)


def shipped_slice_load() -> list[str]:
    """The Liverpool City Region slice: geography and indicators. Never overwrites imports."""
    combined = _combined_authorities()
    messages = []
    for dataset_name, vintage in (("lsoa21", 2021), ("lsoa11", 2011)):
        data = slices.load(dataset_name)
        existing = set(AreaGeography.objects.filter(vintage=vintage).values_list("code", flat=True))
        AreaGeography.objects.bulk_create(
            [
                AreaGeography(
                    code=i.code,
                    vintage=vintage,
                    name=i.name,
                    ward_code=i.ward_code,
                    ward_name=i.ward,
                    msoa_code=i.msoa_code or slices.msoa21_codes().get(i.msoa_name, ""),
                    msoa_name=i.msoa_name,
                    local_authority_code=i.local_authority_code,
                    local_authority_name=i.local_authority,
                    combined_authority_code=combined.get(i.local_authority_code, ""),
                    best_fit_2021=i.best_fit_2021,
                    category=i.category,
                )
                for i in data.info.values()
                if i.code not in existing
            ]
        )
    sha = _sha256(sorted(DATA_DIR.glob("*.csv.gz")))
    lsoa21 = slices.load("lsoa21").values
    for dataset in readers.DATASETS.values():
        if dataset.geography != "lsoa21":
            continue
        values = {
            code: {k: v.get(k) for k in dataset.columns}
            for code, v in lsoa21.items()
            if all(k in v for k in dataset.columns)
        }
        if not values:
            continue
        record, outcome = dataset_store(
            dataset=dataset,
            values=values,
            source="Liverpool City Region slice (shipped)",
            sha256=sha,
            replace=False,
        )
        messages.append(f"{record}: {outcome}")
    return messages


def run_record(
    *,
    council: Organisation,
    user: User | None,
    method: Method,
    base: str,
    datasets: list[str],
    scoring: Scoring,
    explain: Callable[[Any], str],
) -> TargetingRun:
    return TargetingRun.objects.create(
        council=council,
        created_by=user,
        base=base,
        datasets=datasets,
        method={
            "code": method.code,
            "label": method.label,
            "version": method.version,
            "components": {
                c.code: {"label": c.label, "weights": dict(c.weights)} for c in method.components
            },
            "component_weights": dict(method.component_weights),
        },
        results=[
            {
                "area": a.area,
                "score": a.score,
                "rank": a.rank,
                "components": dict(a.components),
                "explanation": explain(a),
            }
            for a in scoring.areas
        ],
    )


def plan_save(
    *,
    council: Organisation,
    user: User,
    run: TargetingRun,
    name: str,
    rationale: str,
    area_codes: list[str],
) -> TargetingPlan:
    known = {r["area"] for r in run.results}
    unknown = [c for c in area_codes if c not in known]
    if unknown or not area_codes:
        raise ValueError("Choose at least one area from the ranking.")
    taken = f"the council already has a plan called “{name}”: choose another name."
    if TargetingPlan.objects.filter(council=council, name=name).exists():
        raise ValueError(taken)
    try:
        with transaction.atomic():
            plan = TargetingPlan.objects.create(
                council=council,
                run=run,
                name=name,
                rationale=rationale,
                area_codes=area_codes,
                created_by=user,
            )
            audit_record(
                user=user,
                action=AuditAction.PLAN_SAVED,
                organisation=council,
                summary=f"Plan {plan.pk}: {name}",
                changes={
                    "name": (None, name),
                    "areas": (None, list(area_codes)),
                    "method run": (None, run.pk),
                },
            )
    except IntegrityError as exc:  # saved by someone else a moment ago
        raise ValueError(taken) from exc
    return plan
