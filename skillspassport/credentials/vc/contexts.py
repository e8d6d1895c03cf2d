"""The JSON-LD contexts credentials may use, served from files in this package.

Every file is pinned by its SHA-256 (`contexts/SHA256SUMS`, checked on first use). The document
loader refuses every URL not listed here, so no credential can make the app fetch anything.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

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


def pyld_options() -> dict[str, Any]:
    """Options for one pyld operation: offline, pinned contexts, relative IRIs kept relative."""
    return {
        "documentLoader": offline_document_loader,
        "base": None,
        "contextResolver": PinnedContextResolver(
            jsonld._resolved_context_cache, offline_document_loader
        ),
    }
