"""Issuing or revoking credentials for many residents at once, from a CSV of resident ids, as
background work (`credentials.jobs`).

Each resident is handled as the single action does (`credential_issue`, `credential_revoke`:
each its own transaction, audited against the resident), as the member of staff who started
the work: a resident they may not act on, or who has no active consent to take part in the
scheme, is reported back by row and not issued. The row reached is saved with each
resident's change, in the same transaction, so another attempt after a worker stopped starts
after the last resident done; and a resident done twice would be refused ("already issued",
"already revoked"), never doubled.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from skillspassport.accounts.models import User
from skillspassport.accounts.roles import Capability
from skillspassport.background.models import Work
from skillspassport.background.progress import Progress
from skillspassport.background.services import work_start
from skillspassport.credentials.models import IssuedCredential
from skillspassport.credentials.services import CredentialError, credential_issue, credential_revoke
from skillspassport.people.models import ConsentPurpose, ConsentRecord
from skillspassport.people.selectors import resident_get_for_user

ISSUE_JOB = "credentials.bulk_issue"
REVOKE_JOB = "credentials.bulk_revoke"
MAX_ROWS = 5000
MAX_BYTES = 1024 * 1024
ID_COLUMNS = ("resident", "resident_id", "public_id", "reference")


class BulkFileError(ValueError):
    """The CSV cannot be used; the message names the row."""


@dataclass(frozen=True)
class BulkRow:
    line: int
    resident: str


def residents_read(data: bytes) -> list[BulkRow]:
    """The residents listed in a CSV (one column named `resident`, or the first column when
    there is no header), each once, in the order given. BulkFileError names what is wrong."""
    if not data.strip():
        raise BulkFileError("The file is empty.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BulkFileError("The file must be a CSV file saved as UTF-8.") from exc
    if "\x00" in text:
        raise BulkFileError("The file must be a CSV file saved as UTF-8.")
    try:
        lines = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise BulkFileError(f"The file could not be read as CSV ({exc}).") from exc
    header = [h.strip().lower() for h in lines[0]] if lines else []
    column = next((header.index(c) for c in ID_COLUMNS if c in header), None)
    start = 2
    if column is None:
        if lines and _as_id(lines[0][0] if lines[0] else "") is None:
            raise BulkFileError(
                "The first row must name a column 'resident' holding each resident's id."
            )
        column, start = 0, 1
    rows: list[BulkRow] = []
    seen: set[str] = set()
    for line, row in enumerate(lines[start - 1 :], start=start):
        cell = row[column].strip() if len(row) > column else ""
        if not cell and not any(c.strip() for c in row):
            continue
        resident = _as_id(cell)
        if resident is None:
            raise BulkFileError(f"Row {line}: '{cell[:40]}' is not a resident id.")
        if resident in seen:
            continue
        seen.add(resident)
        rows.append(BulkRow(line, resident))
        if len(rows) > MAX_ROWS:
            raise BulkFileError(f"The file lists more than {MAX_ROWS:,} residents: split it.")
    if not rows:
        raise BulkFileError("The file lists no residents.")
    return rows


def _as_id(text: str) -> str | None:
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        return None


def bulk_issue_start(*, user: User, strand_code: str, rows: list[BulkRow]) -> Work:
    return work_start(
        kind=ISSUE_JOB,
        title=f"Issue credentials to {len(rows)} resident(s)",
        params={"strand": strand_code, "rows": [[r.line, r.resident] for r in rows]},
        started_by=user,
    )


def bulk_revoke_start(*, user: User, strand_code: str, reason: str, rows: list[BulkRow]) -> Work:
    return work_start(
        kind=REVOKE_JOB,
        title=f"Revoke credentials of {len(rows)} resident(s)",
        params={
            "strand": strand_code,
            "reason": reason.strip()[:500],
            "rows": [[r.line, r.resident] for r in rows],
        },
        started_by=user,
    )


def _one(user: User, work: Work, resident_id: str) -> str:
    """Issue or revoke for one resident; "" when done, else why not (no names)."""
    capability = (
        Capability.ISSUE_CREDENTIALS if work.kind == ISSUE_JOB else Capability.REVOKE_CREDENTIALS
    )
    try:
        resident = resident_get_for_user(user=user, public_id=resident_id, capability=capability)
    except (Http404, PermissionDenied):
        return "not a resident you may act for"
    strand = work.params["strand"]
    if work.kind == ISSUE_JOB:
        if (
            not ConsentRecord.objects.active()
            .filter(resident=resident, purpose=ConsentPurpose.SCHEME)
            .exists()
        ):
            return "no active consent to take part in the scheme"
        try:
            credential_issue(resident=resident, strand_code=strand, user=user)
        except CredentialError as exc:
            return str(exc).rstrip(".").lower()
        return ""
    live = IssuedCredential.objects.filter(resident=resident, strand_code=strand, revoked_at=None)
    if not live.exists():
        return "no credential in force to revoke"
    for credential in live:
        credential_revoke(user=user, credential=credential, reason=work.params["reason"])
    return ""


def bulk_run(work: Work, progress: Progress) -> dict[str, Any]:
    user = work.started_by
    rows = work.params["rows"]
    state = progress.state
    done_rows, problems = int(state.get("rows_done", 0)), list(state.get("problems", []))
    succeeded = int(state.get("succeeded", 0))
    verb = "issued" if work.kind == ISSUE_JOB else "revoked"
    progress.start(len(rows), f"Starting: {len(rows)} resident(s)")
    if done_rows:
        progress.advance(done_rows, "Carrying on where the last attempt stopped")
    for index in range(done_rows, len(rows)):
        line, resident_id = rows[index]
        with transaction.atomic():
            why = _one(user, work, resident_id) if user is not None else "no member of staff"
            if why:
                problems.append(f"Row {line} ({resident_id}): not {verb}: {why}.")
            else:
                succeeded += 1
            progress.advance(1, f"{succeeded} {verb}, {len(problems)} not")
            progress.checkpoint(rows_done=index + 1, succeeded=succeeded, problems=problems)
    progress.note(f"{succeeded} {verb}; {len(problems)} not {verb}.")
    return {"succeeded": succeeded, "problems": problems, "rows_done": len(rows)}
