"""RDF Dataset Canonicalisation (RDFC-1.0 / URDNA2015) of JSON-LD, in "safe mode", with limits.

A term that the document's contexts do not define would be dropped silently by JSON-LD
expansion, so a signature would not cover it: here it is an error, as are types that do not
expand to absolute IRIs and contexts this app does not hold.

Canonicalisation can take time exponential in the number of blank nodes that look alike
(RDFC-1.0 §4.4 calls these "poison graphs": eight blank nodes all linked to each other take
pyld minutes), and pyld's conversion to RDF takes time quadratic in the number of values one
node has for one property (5,000 take 10 s). So the document is measured before each costly
step: its statements before expansion, the repeated values after it, the quads and blank nodes
of the dataset before canonicalisation; and the Hash N-Degree Quads step, where the exponential
time goes, is counted and timed as it runs. Over any limit is TooComplexError, kept apart from
JsonLdError: the document may be valid JSON-LD, but this service will not spend more on it.
"""

from __future__ import annotations

import re
import time
from typing import Any

from pyld import jsonld

from skillspassport.credentials.vc.contexts import (
    ContextNotAllowedError,
    PinnedProcessor,
    pyld_options,
)

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# pyld_options' base None keeps relative IRIs relative (pyld would otherwise resolve them
# against an example base), so that they can be refused below rather than signed as someone
# else's IRIs.


MAX_BLANK_NODES = 256
MAX_QUADS = 5_000
# A complete graph of five alike blank nodes takes 485 calls, of six 3,606 and of seven 30,247
# (7 s); the credentials this service issues and the official test vectors take none. 1,000
# draws the same line as 2,000 between those cliques, in half the time (about 0.25 s).
MAX_HASH_CALLS = 1_000
# A credential of ours canonicalises in about 5 ms; half a second is a hundred times that, and
# keeps a refused request well inside the second an attacker's request may cost.
TIME_BUDGET_SECONDS = 0.5
# pyld compares each new value of a property with those already there: n values cost about
# n²/2 comparisons, at about 0.8 µs each. 250,000 is some 700 values on one property, 0.2 s.
MAX_VALUE_COMPARISONS = 250_000


class JsonLdError(ValueError):
    """The document cannot be canonicalised safely; the message says why, in plain words."""


class TooComplexError(ValueError):
    """Canonicalising the document would take more work than this service allows."""


class _BoundedURDNA2015(jsonld.URDNA2015):
    """pyld's RDFC-1.0, refusing once Hash N-Degree Quads has run too often or for too long."""

    def __init__(self, *, max_calls: int, deadline: float) -> None:
        super().__init__()
        self.calls_left = max_calls
        self.max_calls = max_calls
        self.deadline = deadline

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self.calls_left -= 1
        if self.calls_left < 0:
            raise TooComplexError(
                "This credential is too complex to verify: its blank nodes are so alike that "
                f"telling them apart would take more than {self.max_calls:,} steps."
            )
        if time.monotonic() > self.deadline:
            raise _out_of_time()
        return super().hash_n_degree_quads(id_, issuer)


def _out_of_time() -> TooComplexError:
    return TooComplexError(
        "This credential is too complex to verify: canonicalising it took longer than this "
        "service allows."
    )


def expand(document: Any) -> list[Any]:
    dropped: list[str | None] = []
    processor = PinnedProcessor(on_property_dropped=dropped.append)
    try:
        expanded: list[Any] = processor.expand(document, pyld_options())
    except jsonld.JsonLdError as exc:
        raise JsonLdError(_reason(exc)) from exc
    except _PYLD_FAULTS as exc:  # pyld trips on some odd contexts, e.g. {"@vocab": null}
        raise JsonLdError(_fault(exc)) from exc
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


def canonicalize(
    document: Any,
    *,
    max_blank_nodes: int = MAX_BLANK_NODES,
    max_quads: int = MAX_QUADS,
    max_hash_calls: int = MAX_HASH_CALLS,
    time_budget: float = TIME_BUDGET_SECONDS,
) -> str:
    """The canonical N-Quads of `document` (compacted JSON-LD).

    JsonLdError if it is unsafe; TooComplexError if it is over a limit. The same steps as
    pyld's jsonld.normalize with URDNA2015, so the output is the same byte for byte.
    """
    deadline = time.monotonic() + time_budget
    expanded = _expand_within(document, max_quads=max_quads)
    _check_repeated_values(expanded)
    if time.monotonic() > deadline:
        raise _out_of_time()
    try:
        dataset = _expanded_to_rdf(expanded)
    except jsonld.JsonLdError as exc:
        raise JsonLdError(_reason(exc)) from exc
    except _PYLD_FAULTS as exc:
        raise JsonLdError(_fault(exc)) from exc
    _check_size(dataset, max_blank_nodes=max_blank_nodes, max_quads=max_quads)
    if time.monotonic() > deadline:
        raise _out_of_time()
    algorithm = _BoundedURDNA2015(max_calls=max_hash_calls, deadline=deadline)
    return str(algorithm.main(dataset, {"format": "application/n-quads"}))


def _expanded_to_rdf(expanded: list[Any]) -> dict[str, list[Any]]:
    """The RDF dataset of already-expanded JSON-LD: pyld's `to_rdf` without its first step,
    which would expand the expanded document again (about a sixth of a verification)."""
    options = pyld_options() | {"produceGeneralizedRdf": False, "processingMode": "json-ld-1.1"}
    processor = PinnedProcessor()
    issuer = jsonld.IdentifierIssuer("_:b")
    node_map: dict[str, Any] = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    dataset: dict[str, list[Any]] = {}
    for graph_name, graph in sorted(node_map.items()):
        if graph_name == "@default" or jsonld._is_absolute_iri(graph_name):
            dataset[graph_name] = processor._graph_to_rdf(graph, issuer, options)
    return dataset


def check_lossless(document: Any, *, max_quads: int = MAX_QUADS) -> None:
    """JsonLdError if JSON-LD processing would drop or mangle any of `document`.

    For a cryptosuite that signs the JSON itself (eddsa-jcs-2022): the signature covers every
    term, but a reader of the JSON-LD would silently lose the undefined ones.
    """
    _expand_within(document, max_quads=max_quads)


def _expand_within(document: Any, *, max_quads: int) -> list[Any]:
    # Each statement comes from a key and its value (a value object takes two keys for one),
    # so twice the statements is a generous bound that spares expanding a huge document.
    if _count_pairs(document, stop_after=2 * max_quads) > 2 * max_quads:
        raise TooComplexError(
            "This credential is too complex to verify: it has more than "
            f"{2 * max_quads:,} keys and values."
        )
    return expand(document)


def _count_pairs(document: Any, *, stop_after: int) -> int:
    """Keys with their values, and items of arrays, outside @context (no recursion)."""
    count, stack = 0, [document]
    while stack and count <= stop_after:
        item = stack.pop()
        if isinstance(item, dict):
            if "@context" in item:
                item = {k: v for k, v in item.items() if k != "@context"}
            count += len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            count += len(item)
            stack.extend(item)
    return count


def _check_repeated_values(expanded: Any) -> None:
    """TooComplexError if converting to RDF would compare too many values with each other.

    Values of a property are merged per node id, wherever in the document the node appears;
    a blank node without an id appears once.
    """
    comparisons, most, most_key = 0, 0, ""
    named: dict[tuple[str, str], int] = {}
    stack = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if not isinstance(item, dict) or "@value" in item:
            continue
        node = item.get("@id")
        for key, value in item.items():
            if isinstance(value, list):
                stack.extend(value)
                if not key.startswith("@") or key == "@type":
                    n = len(value) + (named.get((node, key), 0) if node else 0)
                    if node:
                        comparisons -= (n - len(value)) * (n - len(value) - 1) // 2
                        named[node, key] = n
                    comparisons += n * (n - 1) // 2
                    if n > most:
                        most, most_key = n, key
            elif isinstance(value, dict):
                stack.append(value)
    if comparisons > MAX_VALUE_COMPARISONS:
        raise TooComplexError(
            f"This credential is too complex to verify: it gives one node {most:,} values "
            f"of {most_key}, more than this service reads."
        )


def _check_size(dataset: dict[str, list[Any]], *, max_blank_nodes: int, max_quads: int) -> None:
    quads = sum(len(triples) for triples in dataset.values())
    if quads > max_quads:
        raise TooComplexError(
            f"This credential is too complex to verify: it makes {quads:,} statements, and "
            f"this service reads up to {max_quads:,}."
        )
    blank = {name for name in dataset if name.startswith("_:")}
    for triples in dataset.values():
        for triple in triples:
            for position in ("subject", "object"):
                if triple[position]["type"] == "blank node":
                    blank.add(triple[position]["value"])
    if len(blank) > max_blank_nodes:
        raise TooComplexError(
            f"This credential is too complex to verify: it has {len(blank):,} unnamed nodes, "
            f"and this service reads up to {max_blank_nodes:,}."
        )


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


# What pyld raises, instead of a JsonLdError, on some malformed input.
_PYLD_FAULTS = (KeyError, IndexError, TypeError, AttributeError)


def _fault(exc: BaseException) -> str:
    return (
        "The document is not JSON-LD this service can process "
        f"({type(exc).__name__}: {exc} in the JSON-LD processor)."
    )


def _reason(exc: BaseException) -> str:
    """The most useful message in pyld's chain of wrapped errors."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ContextNotAllowedError):
            return str(seen)
        seen = getattr(seen, "cause", None) or seen.__cause__
    message = getattr(exc, "message", None) or str(exc)
    return f"The document is not valid JSON-LD: {str(message).splitlines()[0]}"
