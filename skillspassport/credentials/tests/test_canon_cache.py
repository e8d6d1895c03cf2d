"""The canonicaliser's shortcuts (active contexts kept for pinned contexts, expansion done once)
give exactly what pyld's own `normalize` gives, whatever order documents come in."""

from __future__ import annotations

import contextlib
import copy
import json
import random
from pathlib import Path

import pytest
from pyld import jsonld

from skillspassport.credentials.vc.canon import JsonLdError, TooComplexError, canonicalize
from skillspassport.credentials.vc.contexts import offline_document_loader

VECTORS = Path(__file__).resolve().parent / "vectors"


def documents() -> list[tuple[str, dict]]:
    from benchmarks.credentials import sample_credential

    found = [("sample passport", sample_credential())]
    for path in sorted(VECTORS.rglob("*.json")):
        try:
            document = json.loads(path.read_text())
        except ValueError:
            continue
        if isinstance(document, dict) and "@context" in document:
            found.append((str(path.relative_to(VECTORS)), document))
    # An inline context beside the pinned ones, and one that redefines a term: neither may be
    # answered from what was kept for the pinned contexts alone.
    passport = sample_credential()
    inline = copy.deepcopy(passport)
    inline["@context"] = [*passport["@context"], {"nickname": "https://example.org/nickname"}]
    inline["credentialSubject"]["nickname"] = "Kev"
    found.append(("inline context", inline))
    return found


def pyld_normalize(document: dict) -> str:
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": offline_document_loader,
        "base": None,
    }
    return jsonld.normalize(copy.deepcopy(document), options)


def test_canonical_form_matches_pyld_in_any_order():
    cases = documents()
    expected = {}
    for name, document in cases:
        with contextlib.suppress(Exception):  # documents pyld itself cannot read are left out
            expected[name] = pyld_normalize(document)
    assert len(expected) >= 10
    ours_in_order = {}
    for round_ in range(3):
        order = list(cases)
        random.Random(round_).shuffle(order)
        for name, document in order:
            if name not in expected:
                continue
            try:
                ours = canonicalize(copy.deepcopy(document))
            except (JsonLdError, TooComplexError):
                ours = None  # refused (undefined terms, limits): the same every time
            ours_in_order.setdefault(name, ours)
            assert ours == ours_in_order[name], name
            if ours is not None:
                assert ours == expected[name], name


@pytest.mark.parametrize("term", ["name", "type"])
def test_a_document_redefining_a_protected_term_is_still_refused(term):
    from benchmarks.credentials import sample_credential

    document = sample_credential()
    canonicalize(copy.deepcopy(document))  # warm what is kept
    document["@context"] = [*document["@context"], {term: "https://example.org/other"}]
    with pytest.raises(JsonLdError):
        canonicalize(document)
