"""The W3C suites `make conformance` runs (scripts/conformance.py): each suite's copy with its
npm dependencies (cached under `.cache/conformance/` by a hash of its package.json), its
`localConfig.cjs` naming this app as the one implementation under test, and its mocha run and
report.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deployment import ROOT, run_logged, tail

CACHE = ROOT / ".cache" / "conformance"
# The environment variable the suites read the OAuth client secret from (the manifest names
# the variable, not the secret).
SECRET_VARIABLE = "SKILLS_PASSPORT_CLIENT_SECRET"  # noqa: S105 - a variable name
SUITE_TIMEOUT_S = 900


@dataclass(frozen=True)
class Suite:
    name: str
    # npm install flags: the bitstring suite's mocha is a dev dependency, so it installs all.
    npm_flags: tuple[str, ...]
    describe: str


SUITES = [
    Suite(
        "vc-di-eddsa-test-suite",
        ("--omit=dev",),
        "eddsa-rdfc-2022 and eddsa-jcs-2022 issuing and verifying",
    ),
    Suite(
        "vc-data-model-2.0-test-suite",
        ("--omit=dev",),
        "VC Data Model 2.0 issuer, verifier and presentations",
    ),
    Suite(
        "vc-bitstring-status-list-test-suite",
        (),
        "Bitstring Status List revocation and suspension",
    ),
]


@dataclass
class Client:
    """The OAuth client the suites use, or none when the app cannot make one yet."""

    client_id: str = ""
    client_secret: str = ""
    token_endpoint: str = ""
    council_issuer: str = ""
    sandbox_issuer: str = ""

    @property
    def usable(self) -> bool:
        return bool(self.client_id and self.client_secret and self.token_endpoint)


@dataclass
class Result:
    suite: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    error: str = ""  # why the suite could not run at all
    failures: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.error and self.failed == 0 and self.passed > 0


def install_key(suite: Suite, source: Path, pkgs: Path) -> str:
    """What the installed node_modules depend on: the suite's package.json, the two vendored
    packages, the npm flags and Node's major version."""
    digest = hashlib.sha256()
    digest.update((source / "package.json").read_bytes())
    for tarball in sorted(pkgs.glob("*.tgz")):
        digest.update(tarball.name.encode() + tarball.read_bytes())
    digest.update(" ".join(suite.npm_flags).encode())
    node = subprocess.run(
        ["node", "--version"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    digest.update(node.split(".")[0].encode())
    return digest.hexdigest()[:16]


def link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def prepare_suite(suite: Suite, conformance: Path, work: Path, logs: Path) -> tuple[Path, str]:
    """Copy the suite into `work`, with its node_modules from the cache or a fresh install.

    Returns the suite's folder and "cached" or "installed"."""
    source = conformance / "suites" / suite.name
    pkgs = conformance / "pkgs"
    target = work / "suites" / suite.name
    shutil.copytree(
        source, target, ignore=shutil.ignore_patterns("node_modules", "reports", "localConfig.cjs")
    )
    key = install_key(suite, source, pkgs)
    cached = CACHE / "node_modules" / suite.name / key
    if (cached / "node_modules").is_dir():
        shutil.copytree(
            cached / "node_modules",
            target / "node_modules",
            symlinks=True,
            copy_function=link_or_copy,
        )
        return target, "cached"
    # The two vendored packages are `file:../../pkgs/*.tgz`: keep that path true.
    if not (work / "pkgs").exists():
        shutil.copytree(pkgs, work / "pkgs")
    env = os.environ | {
        "npm_config_cache": str(CACHE / "npm"),
        "npm_config_update_notifier": "false",
    }
    log_file = logs / f"{suite.name}.npm.log"
    code = run_logged(
        ["npm", "install", *suite.npm_flags, "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=target,
        env=env,
        log_file=log_file,
        timeout=600,
    )
    if code != 0:
        raise RuntimeError(f"npm install failed for {suite.name}:\n{tail(log_file)}")
    # Store it for next time (replacing older installs of this suite), atomically.
    shutil.rmtree(cached.parent, ignore_errors=True)
    staging = cached.parent / f".{key}.partial"
    shutil.copytree(
        target / "node_modules",
        staging / "node_modules",
        symlinks=True,
        copy_function=link_or_copy,
    )
    staging.rename(cached)
    return target, "installed"


def local_config(suite: Suite, base_url: str, client: Client | None) -> dict[str, Any]:
    """The suite's localConfig.cjs: this app as the only implementation under test.

    Every suite issues through the sandbox issuer (a did:key the app never trusts). The
    council's own issuer signs only the council's awards, as OpenBadgeCredentials, while the
    suites send credentials of their own; and the eddsa suite resolves verification methods
    with a did:key-only resolver. The suites copy the issuer's `id` into every credential they
    send, so it must be the DID the endpoint signs as.
    """
    issuer_id = (client.sandbox_issuer if client else "") or did_web(base_url)
    auth: dict[str, Any] = {}
    if client and client.usable:
        auth = {
            "oauth2": {
                "clientId": client.client_id,
                "clientSecret": SECRET_VARIABLE,  # the suites read the secret from this variable
                "tokenAudience": base_url,
                "tokenEndpoint": client.token_endpoint,
            }
        }

    def issuer(query: str, tags: list[str]) -> dict[str, Any]:
        return {
            "id": issuer_id,
            "endpoint": f"{base_url}/sandbox/credentials/issue{query}",
            "tags": tags,
            "supports": {"vc": ["1.1", "2.0"]},
            **auth,
        }

    def endpoint(path: str, tags: list[str]) -> dict[str, Any]:
        return {"id": did_web(base_url), "endpoint": base_url + path, "tags": tags}

    if suite.name == "vc-di-eddsa-test-suite":
        tags = ["eddsa-rdfc-2022", "eddsa-jcs-2022"]
        issuers = [issuer("", tags[:1]), issuer("?cryptosuite=eddsa-jcs-2022", tags[1:])]
        vp_verifiers = []
    else:
        tags = (
            ["vc2.0"] if suite.name == "vc-data-model-2.0-test-suite" else ["BitstringStatusList"]
        )
        issuers = [issuer("", tags)]
        vp_verifiers = [endpoint("/presentations/verify", tags)]
    implementation: dict[str, Any] = {
        "name": "Skills Passport",
        "implementation": "Skills Passport",
        "issuers": issuers,
        "verifiers": [endpoint("/credentials/verify", tags)],
    }
    if vp_verifiers:
        implementation["vpVerifiers"] = vp_verifiers
    return {
        "settings": {"enableInteropTests": False, "testAllImplementations": False},
        "implementations": [implementation],
    }


def did_web(base_url: str) -> str:
    """The app's did:web for its public address (as skillspassport.credentials.keystore)."""
    host = base_url.split("://", 1)[-1].split("/", 1)[0]
    return "did:web:" + host.replace(":", "%3A")


def run_suite(
    suite: Suite, folder: Path, env: dict[str, str], logs: Path
) -> tuple[Result, dict[str, Any] | None]:
    report = folder / "mocha-report.json"
    log_file = logs / f"{suite.name}.log"
    started = time.monotonic()
    code = run_logged(
        [
            "node_modules/.bin/mocha",
            "tests/",
            "--timeout",
            "15000",
            "--preserve-symlinks",
            "--reporter",
            "json",
            "--reporter-option",
            f"output={report}",
        ],
        cwd=folder,
        env=env,
        log_file=log_file,
        timeout=SUITE_TIMEOUT_S,
    )
    result = Result(suite.name, seconds=time.monotonic() - started)
    if not report.exists():
        result.error = f"mocha wrote no report (exit {code}):\n{tail(log_file)}"
        return result, None
    data = json.loads(report.read_text())
    result.passed = len(data.get("passes", []))
    result.failed = len(data.get("failures", []))
    result.skipped = len(data.get("pending", []))
    result.failures = data.get("failures", [])
    if result.passed + result.failed == 0:
        result.error = f"no tests ran (exit {code}):\n{tail(log_file)}"
    return result, data


def describe_failure(test: dict[str, Any]) -> str:
    """The assertion's message and, where the suite kept it, what the app answered."""
    err = test.get("err") or {}
    message = str(err.get("message") or err.get("stack") or "(no message)").strip()
    lines = message.splitlines()
    if len(lines) > 6:
        lines = [*lines[:6], "…"]
    answer = app_answer(err)
    if answer:
        lines.append(answer)
    return "\n".join("      " + line for line in lines)


def app_answer(err: dict[str, Any]) -> str:
    """`app answered 400: …` from the HTTP error the suite attached to a failed assertion."""
    for candidate in (err.get("actual"), err):
        if isinstance(candidate, dict) and "status" in candidate and "data" in candidate:
            data = candidate["data"]
            if isinstance(data, dict) and data.get("errors"):
                data = data["errors"]
            text = json.dumps(data, ensure_ascii=False)
            if len(text) > 600:
                text = text[:600] + "…"
            return f"app answered {candidate['status']}: {text}"
    return ""
