"""Credential signing and verification throughput on one core (pure Python, no database).

Measures, in one process and one run: eddsa-rdfc-2022 issue (canonicalise document and proof
options, hash, sign) and full verification (structure, proof, dates, status) of an Open Badges
3.0 passport credential; raw Ed25519 sign and verify of the same credential's bytes; and where
the time goes (expansion, canonicalisation, hashing, signature).
"""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from skillspassport.credentials import badges
from skillspassport.credentials.vc import eddsa, keys
from skillspassport.credentials.vc.canon import canonicalize, expand
from skillspassport.credentials.vc.verifier import StatusAnswer, verify_credential

KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"benchmark key").digest())
METHOD = keys.did_key_verification_method(KEY.public_key())


def sample_credential() -> dict[str, Any]:
    award = badges.Award(
        "digital",
        "Digital",
        "silver",
        "Silver",
        [
            "Bronze: All 8 digital foundation skills.",
            "Silver: At least one digital skill for life in each of the five areas.",
        ],
        "2026.1",
    )
    url = "https://passport.example.gov.uk/credentials/status/1"
    return badges.build(
        credential_id="urn:uuid:6d1c3a4e-2b7f-4c1d-9a55-0c3f1e2d4b6a",
        site_url="https://passport.example.gov.uk",
        issuer_id=keys.did_key(KEY.public_key()),
        issuer_name="Sefton Council",
        award=award,
        identity="resident@example.org",
        identity_type="emailAddress",
        salt="2c1f9a7e4b3d8c6a",
        evidence=badges.EvidenceSummary(
            14, {"Observed by an adviser": 9, "Course completion": 5}, date(2026, 3, 2), None
        ),
        status_entries=[
            {
                "id": f"{url}/{purpose}#4211",
                "type": "BitstringStatusListEntry",
                "statusPurpose": purpose,
                "statusListIndex": "4211",
                "statusListCredential": f"{url}/{purpose}",
            }
            for purpose in ("revocation", "suspension")
        ],
        valid_from=datetime(2026, 11, 1, tzinfo=UTC),
    )


def _rate(fn: Callable[[], object], seconds: float = 3.0) -> tuple[float, float]:
    """(operations per second, median ms) over about `seconds` of repeated calls."""
    fn()  # warm caches (contexts are parsed once per process)
    times: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return len(times) / sum(times), statistics.median(times) * 1000


def run() -> dict[str, float]:
    unsigned = sample_credential()
    signed = eddsa.sign(unsigned, KEY, verification_method=METHOD, created="2026-11-01T09:00:00Z")
    raw = json.dumps(signed, separators=(",", ":")).encode()
    signature = KEY.sign(raw)
    public = KEY.public_key()

    signed_jcs = eddsa.sign(
        unsigned,
        KEY,
        verification_method=METHOD,
        created="2026-11-01T09:00:00Z",
        cryptosuite=eddsa.JCS,
    )

    def issue() -> object:
        return eddsa.sign(unsigned, KEY, verification_method=METHOD, created="2026-11-01T09:00:00Z")

    def issue_jcs() -> object:
        return eddsa.sign(
            unsigned,
            KEY,
            verification_method=METHOD,
            created="2026-11-01T09:00:00Z",
            cryptosuite=eddsa.JCS,
        )

    def verifier(document: dict[str, Any]) -> Callable[[], object]:
        def verify() -> object:
            result = verify_credential(
                document,
                resolve_key=keys.resolve_did_key,
                check_status=lambda entry: StatusAnswer.UNSET,
                issuer_name=lambda issuer, method: "Sefton Council",
                now=datetime(2026, 11, 26, tzinfo=UTC),
            )
            assert result.trusted, result.errors
            return result

        return verify

    config = eddsa.proof_config(signed, signed["proof"])
    doc_only = {k: v for k, v in signed.items() if k != "proof"}
    canon_doc = canonicalize(doc_only)
    results: dict[str, float] = {"credential_bytes": len(raw)}
    for name, fn in (
        ("issue", issue),
        ("verify", verifier(signed)),
        ("issue_jcs", issue_jcs),
        ("verify_jcs", verifier(signed_jcs)),
        ("raw_sign", lambda: KEY.sign(raw)),
        ("raw_verify", lambda: public.verify(signature, raw)),
        ("expand_document", lambda: expand(doc_only)),
        ("canonicalize_document", lambda: canonicalize(doc_only)),
        ("canonicalize_proof_options", lambda: canonicalize(config)),
        ("sha256_both", lambda: hashlib.sha256(canon_doc.encode()).digest()),
    ):
        per_second, median_ms = _rate(fn)
        results[f"{name}_per_s"] = per_second
        results[f"{name}_median_ms"] = median_ms
    # Where the time goes, and what a faster canonicaliser would give: the verify time left
    # once both canonicalisations are taken out, plus them at a tenth of the cost.
    canon_ms = (
        results["canonicalize_document_median_ms"]
        + (results["canonicalize_proof_options_median_ms"])
    )
    results["canonicalisation_share_of_verify"] = canon_ms / results["verify_median_ms"]
    rest_ms = results["verify_median_ms"] - canon_ms
    results["verify_per_s_if_canonicalisation_10x_faster"] = 1000 / (rest_ms + canon_ms / 10)
    results |= _oxigraph(doc_only)
    results["issue_to_raw_sign_ratio"] = results["issue_per_s"] / results["raw_sign_per_s"]
    results["verify_to_raw_verify_ratio"] = results["verify_per_s"] / results["raw_verify_per_s"]
    return results


def _oxigraph(document: dict[str, Any]) -> dict[str, float]:
    """If pyoxigraph is installed (it is not a dependency), its compiled RDFC-1.0 on the same
    dataset that pyld produces, for comparison with pyld's pure-Python canonicalisation."""
    try:
        import pyoxigraph  # type: ignore[import-not-found]
    except ImportError:
        return {}
    from pyld import jsonld

    from skillspassport.credentials.vc.contexts import offline_document_loader

    options = {"documentLoader": offline_document_loader, "format": "application/n-quads"}
    nquads = jsonld.to_rdf(expand(document), options)

    def compiled() -> object:
        dataset = pyoxigraph.Dataset(pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS))
        dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
        return dataset

    def to_rdf() -> object:
        return jsonld.to_rdf(expand(document), options)

    out: dict[str, float] = {}
    for name, fn in (("pyld_to_rdf", to_rdf), ("oxigraph_rdfc", compiled)):
        per_second, median_ms = _rate(fn)
        out[f"{name}_per_s"], out[f"{name}_median_ms"] = per_second, median_ms
    return out


def print_table(results: dict[str, float]) -> None:
    print(f"\nCredentials, one core ({results['credential_bytes']:.0f}-byte credential)")
    print("| measure | per second | median ms |")
    print("|---|---:|---:|")
    for name, label in (
        ("issue", "issue (eddsa-rdfc-2022)"),
        ("verify", "verify (full check, eddsa-rdfc-2022)"),
        ("issue_jcs", "issue (eddsa-jcs-2022)"),
        ("verify_jcs", "verify (full check, eddsa-jcs-2022)"),
        ("raw_sign", "raw Ed25519 sign, same bytes"),
        ("raw_verify", "raw Ed25519 verify, same bytes"),
        ("expand_document", "JSON-LD expansion of the credential"),
        ("canonicalize_document", "canonicalise the credential (RDFC-1.0)"),
        ("canonicalize_proof_options", "canonicalise the proof options"),
        ("sha256_both", "SHA-256 of the canonical credential"),
        ("pyld_to_rdf", "pyld: expand and convert to RDF only (no canonicalisation)"),
        ("oxigraph_rdfc", "pyoxigraph (compiled) RDFC-1.0 of the same dataset, if installed"),
    ):
        if f"{name}_per_s" in results:
            per_s, median = results[f"{name}_per_s"], results[f"{name}_median_ms"]
            print(f"| {label} | {per_s:,.0f} | {median:.3f} |")
    print(f"| issue ÷ raw sign | {results['issue_to_raw_sign_ratio']:.4f} | |")
    print(f"| verify ÷ raw verify | {results['verify_to_raw_verify_ratio']:.4f} | |")
    share = results["canonicalisation_share_of_verify"]
    print(f"| canonicalisation's share of verify time | {share:.0%} | |")
    faster = results["verify_per_s_if_canonicalisation_10x_faster"]
    print(f"| verify per second if canonicalisation were 10 times faster | {faster:,.0f} | |")
