"""The JSON-LD contexts credentials may use, served from files in this package.

Every file is pinned by its SHA-256 (`contexts/SHA256SUMS`, checked on first use). The document
loader refuses every URL not listed here, so no credential can make the app fetch anything.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.context_resolver import ContextResolver

CONTEXT_DIR = Path(__file__).resolve().parent / "contexts"

CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"
OPEN_BADGES_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
STATUS_V1 = "https://www.w3.org/ns/credentials/status/v1"

CONTEXT_FILES = {
    CREDENTIALS_V2: "credentials-v2.jsonld",
    CREDENTIALS_V1: "credentials-v1.jsonld",
    "https://www.w3.org/ns/credentials/examples/v2": "credentials-examples-v2.jsonld",
    DATA_INTEGRITY_V2: "data-integrity-v2.jsonld",
    MULTIKEY_V1: "multikey-v1.jsonld",
    STATUS_V1: "vc-bitstring-status-list-v1.jsonld",
    OPEN_BADGES_V3: "ob-v3p0-3.0.3.json",
}


class ContextNotAllowedError(ValueError):
    """A document asked for a JSON-LD context this app does not hold."""


@cache
def _pinned_hashes() -> dict[str, str]:
    pins = {}
    for line in (CONTEXT_DIR / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        pins[name.lstrip("*")] = digest
    return pins


@cache
def context_document(url: str) -> Any:
    """The parsed context for `url`; ContextNotAllowedError for any other URL."""
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise ContextNotAllowedError(f"The JSON-LD context {url} is not one this service accepts.")
    raw = (CONTEXT_DIR / name).read_bytes()
    if hashlib.sha256(raw).hexdigest() != _pinned_hashes()[name]:
        raise ContextNotAllowedError(f"The stored copy of {url} does not match its pinned hash.")
    return json.loads(raw)


def offline_document_loader(url: str, options: Any = None) -> dict[str, Any]:
    """A pyld document loader that never touches the network.

    The tag "static" lets pyld keep the processed context in its shared cache: these files
    never change (they are pinned), so they are resolved once per process, not once per call.
    """
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": context_document(url),
        "tag": "static",
    }


@cache
def _pinned_object_ids() -> frozenset[int]:
    """The ids of every JSON object inside the pinned contexts. They live (in `context_document`'s
    cache) as long as the process, so an id here always names the same, unchanged object."""
    found: set[int] = set()
    stack: list[Any] = [context_document(url) for url in CONTEXT_FILES]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.add(id(item))
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return frozenset(found)


class PinnedContextResolver(ContextResolver):
    """pyld's context resolver, remembering what it resolved for the pinned contexts' own
    type-scoped contexts.

    For every node of a scoped type (the Open Badges context has many) pyld looks its context
    up by a JSON canonicalisation of it, in pure Python, on every use: about a third of the
    time of verifying a passport. Those contexts are the same pinned objects every time, so
    what they resolve to is kept by identity. Any other context, such as one inline in a
    credential, goes the ordinary way.
    """

    _by_identity: dict[int, list[Any]] = {}

    def resolve(self, active_ctx: Any, context: Any, base: Any, cycles: Any = None) -> Any:
        if isinstance(context, dict) and id(context) in _pinned_object_ids():
            found = self._by_identity.get(id(context))
            if found is None:
                found = super().resolve(active_ctx, context, base, cycles)
                self._by_identity[id(context)] = found
            return found
        return super().resolve(active_ctx, context, base, cycles)


def _context_key(local_ctx: Any) -> Any:
    """A key that names `local_ctx` for as long as the process lives, or None.

    A context URL (or a list of them) names a pinned file; an object inside a pinned context
    is the same object for ever. Anything else, such as a context written inline in a
    credential, has no lasting name and is processed afresh every time.
    """
    if isinstance(local_ctx, str):
        return local_ctx
    if isinstance(local_ctx, list) and all(isinstance(item, str) for item in local_ctx):
        return tuple(local_ctx)
    if isinstance(local_ctx, dict) and id(local_ctx) in _pinned_object_ids():
        return id(local_ctx)
    return None


class PinnedProcessor(jsonld.JsonLdProcessor):
    """pyld's processor, remembering the active contexts it made from pinned contexts.

    pyld keeps a processed context per (active context, context), but a type-scoped context
    (the Open Badges context has many) is applied to a fresh copy of the active context each
    time, so its cache never hits: every node of a scoped type processes its context again,
    term by term — over a third of the time of verifying a passport. The result depends only
    on the active context it starts from and the context applied (the options are always
    `pyld_options()`), so for pinned contexts it is kept here, keyed by the active context's
    id and the context's lasting name, and given back as the same object; pyld treats active
    contexts as values (it already shares them through its own cache). Bounded, so contexts
    that are not pinned cannot make it grow.
    """

    _processed: LRUCache[tuple[Any, ...], Any] = LRUCache(maxsize=4096)
    _lock = threading.Lock()

    def _process_context(
        self,
        active_ctx,
        local_ctx,
        options,
        override_protected=False,
        propagate=True,
        validate_scoped=True,
        cycles=None,
    ):
        name = _context_key(local_ctx)
        if name is None or cycles:
            return super()._process_context(
                active_ctx,
                local_ctx,
                options,
                override_protected,
                propagate,
                validate_scoped,
                cycles,
            )
        if "_uuid" not in active_ctx:
            active_ctx["_uuid"] = str(uuid.uuid1())
        key = (active_ctx["_uuid"], name, override_protected, propagate, validate_scoped)
        with self._lock:
            found = self._processed.get(key)
        if found is None:
            found = super()._process_context(
                active_ctx, local_ctx, options, override_protected, propagate, validate_scoped
            )
            with self._lock:
                self._processed[key] = found
        return found


def pyld_options() -> dict[str, Any]:
    """Options for one pyld operation: offline, pinned contexts, relative IRIs kept relative."""
    return {
        "documentLoader": offline_document_loader,
        "base": None,
        "contextResolver": PinnedContextResolver(
            jsonld._resolved_context_cache, offline_document_loader
        ),
    }
