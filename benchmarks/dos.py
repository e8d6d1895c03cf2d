"""Denial-of-service checks on the public verification endpoints, against a real server.

Starts gunicorn as in production (2 sync workers, `--timeout 30`, production settings, plain
HTTP on 127.0.0.1) on a throwaway SQLite database, then:

- POSTs two "poison graph" credentials to /credentials/verify at once, and while they are in
  flight times GET /healthz. Each is 1.7 KB and validly signed (eddsa-rdfc-2022, a did:key),
  and carries 8 blank nodes each linked to all the others: RDF canonicalisation of that graph
  is factorial in the number of blank nodes (about 80 s of pyld on one core), so a verifier
  must refuse it as too complex before it starts. Twice: with the blank nodes as the
  credentialSubject itself, and nested under a subject with a URL id (which passes the data
  model's checks, so that only a bound on canonicalisation can stop it);
- sends a 5,000-deep nested JSON document, a JSON number of 5,000 digits, and a 200 MB body,
  each to the VC-API (/credentials/verify) and as a file upload to the verify page (/verify/,
  with its CSRF token and cookie).

It asserts that every one of these requests gets a 4xx answer within 1 s, and that the health
check answers within 1 s while the poison requests are in flight; it prints each status and
time and exits non-zero if any assertion fails. Run with `python -m benchmarks.dos` or as part
of `make bench`.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import re
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.rawhttp import Answer, http, multipart
from scripts import deployment

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
BIG_BYTES = 200_000_000
CHUNK = b"a" * 1_000_000

# The poison credentials are signed with this fixed key, at this fixed time, so that their
# signatures are always the same and need not be recomputed (that takes as long as the attack
# itself): `python -m benchmarks.dos --sign` recomputes them and prints them.
KEY_SEED = hashlib.sha256(b"skills passport denial-of-service check").digest()
CREATED = "2026-01-01T00:00:00Z"
BLANK_NODES = 8
SUBJECT_ID = "urn:uuid:0c3e4b1a-5d2f-4e8a-9b7c-1f2e3d4c5b6a"


@dataclass(frozen=True)
class Poison:
    name: str
    describe: str
    nested: bool
    proof_value: str  # recorded from --sign (signing each took about 80 s)


POISONS = [
    Poison(
        "subject",
        "credentialSubject is 8 blank nodes, each linked to the 7 others",
        False,
        "z2NKYdvfG8KT8yrZsU3gBigmud1nBjzAU6ZKvuRjAGuKC38vv8SwhvJAhtvdFCYpihCnMQ5NuegfxEHjY3BsPU5hF",
    ),
    Poison(
        "nested",
        "the same 8 blank nodes one level down, under a subject with a URL id",
        True,
        "z27dXkJA5YtQ7KTBeBh49cuRxDzhhXmsvdgc5mxnjsy6XrC191fBxhck3e7rSfLmEsMsns6bhAFwvYEu7gUtCawii",
    ),
]


def poison_unsigned(did: str, poison: Poison) -> dict[str, Any]:
    """A VC 2.0 credential carrying BLANK_NODES blank nodes, all linked to each other.

    As the subject itself (a verifier may refuse it earlier: a subject's id must be a URL), or
    nested under a subject with a URL id, which passes the data model's checks, so that only a
    bound on canonicalisation stops it."""
    nodes = [f"_:b{i}" for i in range(BLANK_NODES)]
    clique = [{"id": node, "knows": [{"id": n} for n in nodes if n != node]} for node in nodes]
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            {"knows": {"@id": "https://schema.org/knows"}},
        ],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "validFrom": CREATED,
        "credentialSubject": {"id": SUBJECT_ID, "knows": clique} if poison.nested else clique,
    }


def poison_credential(poison: Poison, *, sign: bool = False) -> dict[str, Any]:
    """The signed poison credential: with its recorded signature, or signed afresh."""
    sys.path.insert(0, str(ROOT))
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from skillspassport.credentials.vc import keys

    key = Ed25519PrivateKey.from_private_bytes(KEY_SEED)
    unsigned = poison_unsigned(keys.did_key(key.public_key()), poison)
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": CREATED,
        "verificationMethod": keys.did_key_verification_method(key.public_key()),
        "proofPurpose": "assertionMethod",
    }
    if sign or not poison.proof_value:
        # eddsa-rdfc-2022 by hand, with pyld's canonicalisation unbounded: the app's own
        # canonicalisation (rightly) refuses this document.
        from pyld import jsonld

        from skillspassport.credentials.vc.contexts import offline_document_loader

        def digest(value: dict[str, Any]) -> bytes:
            options = {"algorithm": "URDNA2015", "format": "application/n-quads"}
            nquads = jsonld.normalize(value, options | {"documentLoader": offline_document_loader})
            return hashlib.sha256(str(nquads).encode()).digest()

        started = time.perf_counter()
        signature = key.sign(digest({**proof, "@context": unsigned["@context"]}) + digest(unsigned))
        proof_value = keys.multibase_b58_encode(signature)
        print(
            f"Signed the {poison.name!r} poison credential in {time.perf_counter() - started:.1f} s"
            f" (pyld, one core); proofValue {proof_value}",
            flush=True,
        )
    else:
        proof_value = poison.proof_value
    return {**unsigned, "proof": {**proof, "proofValue": proof_value}}


# --- Payloads ---------------------------------------------------------------------------------


@dataclass
class Payload:
    name: str
    # The document as the verify page takes it, and as the API takes it (wrapped).
    page: tuple[Iterable[bytes], int]
    api: tuple[Iterable[bytes], int]


def payloads() -> list[Payload]:
    """The hostile inputs, made afresh for each use (the 200 MB body is a one-pass stream)."""
    deep = b"[" * 5000 + b"]" * 5000
    number = (
        b'{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": '
        b'["VerifiableCredential"], "credentialSubject": {"n": ' + b"9" * 5000 + b"}}"
    )

    def api(document: bytes) -> tuple[list[bytes], int]:
        body = b'{"verifiableCredential": ' + document + b"}"
        return [body], len(body)

    big_head, big_tail = b'{"id": "', b'"}'
    big_count = BIG_BYTES // len(CHUNK)

    def big(prefix: bytes = b"", suffix: bytes = b"") -> tuple[Iterable[bytes], int]:
        """About 200 MB of one credential, streamed from one 1 MB chunk."""
        head, tail = prefix + big_head, big_tail + suffix

        def chunks() -> Iterator[bytes]:
            yield head
            for _ in range(big_count):
                yield CHUNK
            yield tail

        return chunks(), len(head) + big_count * len(CHUNK) + len(tail)

    return [
        Payload("5,000-deep nested JSON", ([deep], len(deep)), api(deep)),
        Payload("a 5,000-digit JSON number", ([number], len(number)), api(number)),
        Payload("a 200 MB body", big(), big(b'{"verifiableCredential": ', b"}")),
    ]


# --- The server -------------------------------------------------------------------------------


def server(tmp: Path, port: int) -> contextlib.AbstractContextManager[None]:
    """gunicorn as in production (2 sync workers, --timeout 30) over plain HTTP on a fresh
    SQLite database, until the block ends."""
    env = deployment.app_environment(
        tmp,
        # Production refuses a non-https SITE_URL; it only names the credentials issued here.
        f"https://127.0.0.1:{port}",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on the loopback interface
    )
    deployment.manage(["migrate", "--verbosity", "0"], env, tmp / "migrate.log")
    options = ["--worker-class", "sync", "--timeout", "30"]
    return deployment.serve(env, port, tmp / "gunicorn.log", options=options, grace=15)


def wait_healthy(port: int, seconds: float = 60) -> None:
    """Until a worker answers again (gunicorn replaces workers it killed for overrunning)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if http("health", port, "GET", "/healthz", timeout=5, expect="200").status == 200:
            return
        time.sleep(0.5)


# --- The checks -------------------------------------------------------------------------------


def verify_page_form(port: int) -> tuple[str, str]:
    """(Cookie header, CSRF token) from a fresh GET of the verify page."""
    page = http("GET /verify/", port, "GET", "/verify/", expect="200")
    if page.status != 200:
        raise RuntimeError(f"GET /verify/ answered {page.status} {page.note}")
    cookies = [c.split(";", 1)[0] for c in page.headers.get("set-cookie", [])]
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if not match:
        raise RuntimeError("The verify page has no CSRF token")
    return "; ".join(cookies), match.group(1).decode()


def check_inputs(port: int) -> list[Answer]:
    answers = []
    for payload in payloads():
        chunks, size = payload.api
        answers.append(
            http(
                f"POST /credentials/verify: {payload.name}",
                port,
                "POST",
                "/credentials/verify",
                headers={"Content-Type": "application/json"},
                body=chunks,
                length=size,
            )
        )
        wait_healthy(port)
    for payload in payloads():
        cookie, token = verify_page_form(port)
        content, size = payload.page
        content_type, chunks, length = multipart(
            {"csrfmiddlewaretoken": token}, "file", content, size
        )
        answers.append(
            http(
                f"POST /verify/ (file upload): {payload.name}",
                port,
                "POST",
                "/verify/",
                headers={"Content-Type": content_type, "Cookie": cookie},
                body=chunks,
                length=length,
            )
        )
        wait_healthy(port)
    return answers


def warm_up(port: int, poison: dict[str, Any]) -> None:
    """Verify an ordinary credential on every worker first, so that no measurement includes a
    worker's first-request start-up (imports, contexts)."""
    subject = {"id": SUBJECT_ID, "name": "A resident"}
    body = json.dumps({"verifiableCredential": {**poison, "credentialSubject": subject}}).encode()

    def send() -> None:
        http(
            "warm-up",
            port,
            "POST",
            "/credentials/verify",
            body=body,
            timeout=30,
            headers={"Content-Type": "application/json"},
        )

    for _ in range(2):
        threads = [threading.Thread(target=send) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def check_poison(port: int, poison: Poison, credential: dict[str, Any]) -> list[Answer]:
    """Two poison credentials at once (as many as there are workers), and /healthz meanwhile."""
    body = json.dumps({"verifiableCredential": credential}).encode()
    poisoned: list[Answer] = []

    def send(n: int) -> None:
        poisoned.append(
            http(
                f"POST /credentials/verify: poison graph, {poison.name} ({n} of 2, "
                f"{len(body):,} bytes)",
                port,
                "POST",
                "/credentials/verify",
                headers={"Content-Type": "application/json"},
                body=body,
            )
        )

    threads = [threading.Thread(target=send, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    time.sleep(0.1)  # both requests have reached a worker (on the loopback, in milliseconds)
    health = http(
        f"GET /healthz while both {poison.name} poison graphs are being verified",
        port,
        "GET",
        "/healthz",
        expect="200",
    )
    for thread in threads:
        thread.join()
    return [*sorted(poisoned, key=lambda a: a.label), health]


def run(*, sign: bool = False) -> dict[str, Any]:
    credentials = {p.name: poison_credential(p, sign=sign) for p in POISONS}
    port = deployment.free_port()
    with tempfile.TemporaryDirectory(prefix="skillspassport-dos-") as tmp, server(Path(tmp), port):
        warm_up(port, credentials[POISONS[0].name])
        idle = http("GET /healthz (idle)", port, "GET", "/healthz", expect="200")
        answers = [idle, *check_inputs(port)]
        for poison in POISONS:
            wait_healthy(port)
            answers += check_poison(port, poison, credentials[poison.name])
    return {
        "poison_bytes": {k: len(json.dumps(v).encode()) for k, v in credentials.items()},
        "answers": [
            {k: v for k, v in asdict(a).items() if k not in ("headers", "body")}
            | {"ok": a.ok, "answer": a.reason}
            for a in answers
        ],
    }


def print_table(results: dict[str, Any]) -> None:
    print("\nDenial-of-service checks (2 sync workers, --timeout 30; limit: a 4xx within 1 s)")
    print("| request | status | seconds | passes | the app's answer, or what happened |")
    print("|---|---:|---:|---|---|")
    for a in results["answers"]:
        status = a["status"] if a["status"] is not None else "none"
        passes = "yes" if a["ok"] else "**no**"
        said = "; ".join(x for x in (a.get("answer", ""), a["note"]) if x)
        print(f"| {a['label']} | {status} | {a['seconds']:.2f} | {passes} | {said} |")
    failed = [a for a in results["answers"] if not a["ok"]]
    print(f"\n{len(results['answers']) - len(failed)} passed, {len(failed)} failed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sign",
        action="store_true",
        help="sign the poison credentials afresh (as slow as the attack) and print them",
    )
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    results = run(sign=args.sign)
    print_table(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (args.out or RESULTS / "dos.json").write_text(json.dumps(results, indent=2))
    return 0 if all(a["ok"] for a in results["answers"]) else 1


if __name__ == "__main__":
    sys.exit(main())
