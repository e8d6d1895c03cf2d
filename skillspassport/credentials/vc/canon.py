"""RDF Dataset Canonicalisation (RDFC-1.0 / URDNA2015) of JSON-LD, in "safe mode".

A term that the document's contexts do not define would be dropped silently by JSON-LD
expansion, so a signature would not cover it: here it is an error, as are types that do not
expand to absolute IRIs and contexts this app does not hold.
"""

from __future__ import annotations

import re
from typing import Any

from pyld import jsonld

from skillspassport.credentials.vc.contexts import ContextNotAllowedError, offline_document_loader

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# base None keeps relative IRIs relative (pyld would otherwise resolve them against an example
# base), so that they can be refused below rather than signed as someone else's IRIs.
_OPTIONS = {"documentLoader": offline_document_loader, "base": None}


class JsonLdError(ValueError):
    """The document cannot be canonicalised safely; the message says why, in plain words."""


def expand(document: Any) -> list[Any]:
    dropped: list[str | None] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    try:
        expanded: list[Any] = processor.expand(document, dict(_OPTIONS))
    except jsonld.JsonLdError as exc:
        raise JsonLdError(_reason(exc)) from exc
    if dropped:
        names = ", ".join(sorted({str(term) for term in dropped}))
        raise JsonLdError(f"These terms are not defined by the document's contexts: {names}.")
    bad_types = sorted(_relative(expanded, "@type"))
    if bad_types:
        raise JsonLdError(f"These types do not expand to full IRIs: {', '.join(bad_types)}.")
    bad_ids = sorted(_relative(expanded, "@id"))
    if bad_ids:
        raise JsonLdError(f"These ids are not full IRIs: {', '.join(bad_ids)}.")
    return expanded


def canonicalize(document: Any) -> str:
    """The canonical N-Quads of `document` (compacted JSON-LD); JsonLdError if it is unsafe."""
    expanded = expand(document)
    try:
        return str(
            jsonld.normalize(
                expanded, {"algorithm": "URDNA2015", "format": "application/n-quads", **_OPTIONS}
            )
        )
    except jsonld.JsonLdError as exc:
        raise JsonLdError(_reason(exc)) from exc


def _relative(node: Any, keyword: str) -> set[str]:
    """Values of `keyword` (@type or @id) in expanded JSON-LD that are not absolute IRIs."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= _relative(item, keyword)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == keyword and not isinstance(value, dict):
                for v in value if isinstance(value, list) else [value]:
                    if isinstance(v, str) and not (_ABSOLUTE_IRI.match(v) or v.startswith("_:")):
                        found.add(v)
            elif key != "@value":
                found |= _relative(value, keyword)
    return found


def _reason(exc: BaseException) -> str:
    """The most useful message in pyld's chain of wrapped errors."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ContextNotAllowedError):
            return str(seen)
        seen = getattr(seen, "cause", None) or seen.__cause__
    message = getattr(exc, "message", None) or str(exc)
    return f"The document is not valid JSON-LD: {str(message).splitlines()[0]}"
