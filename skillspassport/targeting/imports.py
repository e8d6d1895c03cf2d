"""Importing national area data as background work (`targeting.jobs`): from files on the
server (`manage.py import_area_data`) or from a file an administrator or analyst uploads on
the targeting page.

Each file is read whole and checked before anything is stored, then stored in one
transaction (`services.dataset_import`), so an attempt that stops part-way leaves either the
whole file or nothing; storing the same file again changes nothing. Another attempt after a
worker stopped therefore redoes at most the file it was on, and never doubles a row.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.base import File
from django.core.files.storage import default_storage

from skillspassport.accounts.models import Role, User
from skillspassport.background.models import Work
from skillspassport.background.services import work_start
from skillspassport.targeting import readers
from skillspassport.targeting.services import (
    dataset_import,
    geography_import_lsoa11,
    geography_import_lsoa21,
)

IMPORT_JOB = "targeting.import"
UPLOAD_FOLDER = "area-data"
IMPORTERS = (Role.ADMINISTRATOR, Role.ANALYST)


def may_import(user: User) -> bool:
    """National data serves every council: administrators and analysts of any council, and
    the platform operator, may bring a newer file in."""
    return user.is_superuser or user.memberships.filter(role__in=IMPORTERS).exists()


def area_data_import_start(
    *,
    files: list[tuple[str, str]],
    folder: str | None = None,
    user: User | None = None,
    queue: bool = True,
    uploaded: bool = False,
) -> Work:
    """Start importing `files` ([(dataset code, path)]); with `folder`, its LSOA geography
    and lookups first. `uploaded` paths are names in the file storage, removed once imported."""
    names = ", ".join(code for code, _path in files) or "geography"
    return work_start(
        kind=IMPORT_JOB,
        title=f"Import national area data: {names}"[:200],
        params={"files": [list(f) for f in files], "folder": folder, "uploaded": uploaded},
        started_by=user,
        queue=queue,
    )


def area_data_upload_start(*, dataset_code: str, upload: File[bytes], user: User) -> Work:
    """Keep a checked upload where every worker can read it, and start importing it."""
    suffix = ".csv.gz" if (upload.name or "").lower().endswith(".gz") else ".csv"
    name = default_storage.save(f"{UPLOAD_FOLDER}/{uuid.uuid4()}{suffix}", upload)
    return area_data_import_start(files=[(dataset_code, name)], user=user, uploaded=True)


def _local_copy(name: str, directory: Path) -> Path:
    """The stored upload as a local file (readers read paths), keeping its .gz suffix."""
    target = directory / Path(name).name
    with default_storage.open(name, "rb") as source, open(target, "wb") as out:
        shutil.copyfileobj(source, out)
    return target


def area_data_import_run(
    *,
    params: dict[str, Any],
    done: set[str],
    file_done: Callable[[str, str], None],
    say: Callable[[str], None],
) -> list[str]:
    """Import what `params` lists, skipping the steps in `done`; `file_done(step, line)` is
    called after each step is stored. Returns the lines to report. ImportFileError if a file
    is wrong (nothing from that file is stored)."""
    lines: list[str] = []
    folder = Path(params["folder"]) if params.get("folder") else None
    geography = folder is not None and (folder / readers.LSOA21_GEOGRAPHY_FILE).exists()
    if folder is not None and geography and "geography" not in done:
        say("LSOA 2021 geography")
        added = geography_import_lsoa21(path=folder / readers.LSOA21_GEOGRAPHY_FILE, folder=folder)
        line = f"LSOA 2021 geography: {added} areas added."
        if (folder / "lookups").is_dir() and (folder / "iuc").is_dir():
            added = geography_import_lsoa11(folder=folder)
            line += f" LSOA 2011 geography and lookups: {added} areas added."
        file_done("geography", line)
        lines.append(line)
    with tempfile.TemporaryDirectory() as scratch:
        for code, where in params["files"]:
            if code in done:
                continue
            say(f"{code}: reading and checking")
            if params.get("uploaded"):
                if not default_storage.exists(where):
                    raise readers.ImportFileError(f"{code}: the uploaded file is no longer kept.")
                path = _local_copy(where, Path(scratch))
            else:
                path = Path(where)
                if not path.exists():
                    line = f"{code}: {path} not found, skipped."
                    file_done(code, line)
                    lines.append(line)
                    continue
            record, outcome = dataset_import(dataset_code=code, path=path)
            line = f"{record}: {outcome} ({record.areas:,} areas)."
            file_done(code, line)
            lines.append(line)
            if params.get("uploaded"):
                default_storage.delete(where)
    return lines
