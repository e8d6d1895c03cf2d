"""The hash that chains each audit event to the one before it.

Pure functions, no Django: the chain's definition must not change with the framework. Each
event's hash is SHA-256 over the previous event's hash and a canonical serialisation of the
event's own fields, so altering, removing or inserting a row breaks every hash after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

#: The "previous hash" of the first event in the chain.
GENESIS = "0" * 64


def _canonical_value(value: Any) -> Any:
    """Numbers as normalised decimal text, so 1, 1.0 and 1e0 (which JSON stores, e.g.
    PostgreSQL's jsonb, may turn into one another) hash the same; containers recursively."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value)).normalize()
        return {"n": format(number, "f")}
    if isinstance(value, Mapping):
        return {str(key): _canonical_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical_value(item) for item in value]
    raise TypeError(f"Cannot hash a value of type {type(value).__name__}")


def canonical(
    *,
    seq: int,
    at: datetime,
    user_id: int | None,
    organisation_id: int | None,
    resident_id: int | None,
    action: str,
    summary: str,
    fields: list[str],
    changes: Mapping[str, Any],
    ip_address: str | None,
) -> bytes:
    """The bytes hashed for one event: sorted-key JSON with a UTC time to the microsecond."""
    if at.tzinfo is None:
        raise ValueError("Audit times must be timezone-aware.")
    document = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "user": user_id,
        "organisation": organisation_id,
        "resident": resident_id,
        "action": action,
        "summary": summary,
        "fields": list(fields),
        "changes": changes,
        "ip": ip_address,
    }
    return json.dumps(
        _canonical_value(document), sort_keys=True, separators=(",", ":"), ensure_ascii=True
    ).encode("ascii")


def link(previous_hash: str, content: bytes) -> str:
    """The hash of an event whose canonical content is `content`, after `previous_hash`."""
    return hashlib.sha256(previous_hash.encode("ascii") + b"\n" + content).hexdigest()
