"""`make conformance`: run the W3C Verifiable Credentials test suites against this app.

The suites (eddsa-rdfc-2022 and eddsa-jcs-2022 Data Integrity, VC Data Model 2.0, Bitstring
Status List) are vendored read-only beside the repository in `../shared/conformance` (or
`CONFORMANCE_DIR`). This script:

1. makes a throwaway SQLite database in a temporary folder, migrates it and loads the reference
   and demo data (the demo council, Sefton Council);
2. makes a self-signed certificate for 127.0.0.1 and starts the app under gunicorn over TLS
   with production settings on a free port, its public address `https://127.0.0.1:PORT`;
3. creates an OAuth 2.0 API client for the suites (`manage.py api_client_create`), so that
   they can call the issuer endpoints with a bearer token;
4. copies each suite to the temporary folder, installs its npm dependencies (cached under
   `.cache/conformance/` by a hash of its package.json, so that re-runs do not reinstall), and
   writes its `localConfig.cjs` naming this app as the one implementation under test;
5. runs each suite with mocha's JSON reporter and prints `<suite>: N passed, M failed`, with
   `-v` every failing test and its error; the full reports go to `.cache/conformance/reports/`.

Exits non-zero if any test failed or a suite could not run. See docs/conformance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import ipaddress
import json
import os
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "conformance"
REPORTS = CACHE / "reports"
COUNCIL = "Sefton Council"
# Enough residents for seed_demo's training, employers and casework demos to find people.
DEMO_RESIDENTS = 100
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


# --- Small helpers ------------------------------------------------------------------------------


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def run_logged(
    cmd: list[str], *, cwd: Path, env: dict[str, str], log_file: Path, timeout: float
) -> int:
    """Run `cmd` in its own process group with its output in `log_file`; kill the whole group
    if it overruns or if this script is interrupted, so nothing is left running."""
    with log_file.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603
            cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            out.write(f"\n[timed out after {timeout:.0f} s]\n".encode())
            return -1
        finally:
            stop_group(process)


def stop_group(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    if process.poll() is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # any grandchildren it left behind
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- The app ------------------------------------------------------------------------------------


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own CA, so Node can be told to trust it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def app_environment(tmp: Path, base_url: str) -> dict[str, str]:
    """Production settings, every secret fresh and throwaway, the database in `tmp`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CREDENTIAL_KEY_SECRET": secrets.token_urlsafe(32),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": base_url,
        "CSRF_TRUSTED_ORIGINS": base_url,
        # The suites send some hundreds of requests from one address in a minute.
        "VERIFY_RATE_LIMIT": "100000/m",
        "MEDIA_ROOT": str(tmp / "media"),
        "EMAIL_URL": "consolemail://",
    }
    return env


def setup_database(env: dict[str, str], log_file: Path) -> None:
    manage = [sys.executable, "manage.py"]
    # seed_demo refuses production settings (it creates users with the published demo
    # password), so this throwaway deployment's database is seeded under the local settings:
    # the same database, secrets and SITE_URL, read from the same environment.
    seeding = env | {"DJANGO_SETTINGS_MODULE": "config.settings.local"}
    for step, step_env in (
        (["migrate", "--verbosity", "0"], env),
        (["load_reference_data", "--verbosity", "0"], env),
        (["seed_demo", "--residents", str(DEMO_RESIDENTS)], seeding),
    ):
        code = run_logged(manage + step, cwd=ROOT, env=step_env, log_file=log_file, timeout=600)
        if code != 0:
            raise RuntimeError(f"manage.py {step[0]} failed:\n{tail(log_file)}")


def create_client(env: dict[str, str], log_file: Path) -> Client | None:
    """The suites' API client, or None if this version of the app has no api_client_create."""

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "api_client_create", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        with log_file.open("a") as out:
            out.write(done.stderr)
        return done

    usage = manage("--help")
    if usage.returncode != 0:
        if "Unknown command" in usage.stderr:
            return None
        raise RuntimeError(f"manage.py api_client_create --help failed:\n{usage.stderr[-2000:]}")
    # Every award the council issues, whichever name the option has in this version.
    every = [flag for flag in ("--all-awards", "--all-achievements") if flag in usage.stdout]
    done = manage("--council", COUNCIL, "--name", "conformance", "--sandbox", *every[:1], "--json")
    if done.returncode != 0:
        raise RuntimeError(f"manage.py api_client_create failed:\n{done.stderr[-2000:]}")
    start = done.stdout.find("{")
    if start < 0:
        raise RuntimeError(f"api_client_create printed no JSON:\n{done.stdout[-2000:]}")
    data, _ = json.JSONDecoder().raw_decode(done.stdout[start:])
    return Client(**{k: str(data.get(k) or "") for k in Client.__dataclass_fields__})


@contextlib.contextmanager
def serve(env: dict[str, str], port: int, cert: Path, key: Path, log_file: Path) -> Iterator[None]:
    """gunicorn over TLS on 127.0.0.1:port until the block ends (however it ends)."""
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--timeout",
        "120",
        "--certfile",
        str(cert),
        "--keyfile",
        str(key),
        "--access-logfile",
        "-",
        "--no-control-socket",
    ]
    with log_file.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        wait_healthy(f"https://127.0.0.1:{port}/healthz", cert, process, log_file)
        yield
    finally:
        stop_group(process)


def wait_healthy(url: str, cert: Path, process: subprocess.Popen[bytes], log_file: Path) -> None:
    context = ssl.create_default_context(cafile=str(cert))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{tail(log_file)}")
        try:
            with urllib.request.urlopen(url, context=context, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within 60 s:\n{tail(log_file)}")


# --- The suites ---------------------------------------------------------------------------------


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


# --- Main ---------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--suite",
        action="append",
        choices=[s.name for s in SUITES],
        help="run only this suite (repeatable); default all three",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list every failing test and its error"
    )
    parser.add_argument(
        "--conformance-dir",
        type=Path,
        default=Path(os.environ.get("CONFORMANCE_DIR") or ROOT.parent / "shared" / "conformance"),
        help="where the vendored suites are (default $CONFORMANCE_DIR or ../shared/conformance)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder (database, logs, suites)"
    )
    args = parser.parse_args(argv)
    conformance: Path = args.conformance_dir.resolve()
    suites = [s for s in SUITES if not args.suite or s.name in args.suite]
    missing = [s.name for s in suites if not (conformance / "suites" / s.name).is_dir()]
    if missing or not (conformance / "pkgs").is_dir():
        log(f"No conformance suites at {conformance} (set CONFORMANCE_DIR): missing {missing}")
        return 2
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            log(f"{tool} is not installed: the suites need Node.js 20 or newer with npm.")
            return 2

    # A SIGTERM (CI cancelling the job) unwinds like Ctrl-C, so gunicorn is always stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tmp = Path(tempfile.mkdtemp(prefix="skillspassport-conformance-"))
    try:
        return run(args, conformance, suites, tmp)
    except KeyboardInterrupt:
        log("\nInterrupted.")
        return 130
    except RuntimeError as exc:  # the app or a suite could not be set up: say why, briefly
        log(f"\nCould not run the suites: {exc}")
        return 2
    finally:
        if args.keep:
            log(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, conformance: Path, suites: list[Suite], tmp: Path) -> int:
    from concurrent.futures import ThreadPoolExecutor

    started = time.monotonic()
    timings: dict[str, float] = {}
    logs = tmp / "logs"
    logs.mkdir()
    REPORTS.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base_url = f"https://127.0.0.1:{port}"
    env = app_environment(tmp, base_url)
    cert, key = make_certificate(tmp)
    log(f"Suites from {conformance}; the app at {base_url}; work in {tmp}")

    def prepare(suite: Suite) -> tuple[Path, str]:
        begun = time.monotonic()
        try:
            return prepare_suite(suite, conformance, tmp, logs)
        finally:
            timings[f"npm {suite.name}"] = time.monotonic() - begun

    # The npm installs (network) run while the database is set up (CPU).
    with ThreadPoolExecutor(max_workers=len(suites)) as pool:
        prepared = {suite.name: pool.submit(prepare, suite) for suite in suites}
        begun = time.monotonic()
        setup_database(env, logs / "app.log")
        client = create_client(env, logs / "app.log")
        timings["database"] = time.monotonic() - begun
        log(f"  database migrated and seeded ({timings['database']:.1f} s)")
        folders: dict[str, Path] = {}
        for name, future in prepared.items():
            folders[name], how = future.result()
            log(f"  {name}: npm dependencies {how} ({timings[f'npm {name}']:.1f} s)")
    if client is None or not client.usable:
        log(
            "  This version of the app has no `manage.py api_client_create`: the issuer\n"
            "  endpoints are configured without credentials, so their tests fail."
        )

    suite_env = os.environ | {
        # Trust the app's certificate rather than turning TLS checking off.
        "NODE_EXTRA_CA_CERTS": str(cert),
        SECRET_VARIABLE: client.client_secret if client else "",
        "NO_COLOR": "1",
    }
    results: list[Result] = []
    try:
        with serve(env, port, cert, key, logs / "gunicorn.log"):
            log(f"  app answering on {base_url} ({time.monotonic() - started:.1f} s in)")
            for suite in suites:
                folder = folders[suite.name]
                config = local_config(suite, base_url, client)
                (folder / "localConfig.cjs").write_text(
                    "// Written by scripts/conformance.py for this run.\nmodule.exports = "
                    + json.dumps(config, indent=2)
                    + ";\n"
                )
                log(f"Running {suite.name} ({suite.describe})…")
                result, data = run_suite(suite, folder, suite_env, logs)
                results.append(result)
                if data is not None:
                    (REPORTS / f"{suite.name}.json").write_text(json.dumps(data, indent=2))
                shutil.copy2(logs / f"{suite.name}.log", REPORTS / f"{suite.name}.log")
    finally:
        if (logs / "gunicorn.log").exists():
            shutil.copy2(logs / "gunicorn.log", REPORTS / "gunicorn.log")
    return report(results, args.verbose, timings, time.monotonic() - started)


def report(results: list[Result], verbose: bool, timings: dict[str, float], seconds: float) -> int:
    log("")
    for r in results:
        if r.error:
            log(f"{r.suite}: could not run: {r.error.splitlines()[0]}")
            if verbose:
                log("\n".join("      " + line for line in r.error.splitlines()[1:]))
            continue
        skipped = f", {r.skipped} skipped" if r.skipped else ""
        log(f"{r.suite}: {r.passed} passed, {r.failed} failed{skipped}")
        if verbose:
            for test in r.failures:
                log(f"  ✗ {test.get('fullTitle') or test.get('title')}")
                log(describe_failure(test))
    npm = max((v for k, v in timings.items() if k.startswith("npm ")), default=0.0)
    parts = [
        f"database {timings.get('database', 0):.0f} s",
        f"suites copied and npm dependencies ready {npm:.0f} s",
    ]
    parts += [f"{r.suite} {r.seconds:.0f} s" for r in results]
    log(f"\nTimings: {'; '.join(parts)}; total {seconds:.0f} s.")
    log(f"Full reports and logs in {REPORTS.relative_to(ROOT)}/.")
    broken = [r.suite for r in results if r.error]
    if broken:
        log(f"Could not run: {', '.join(broken)}")
    passed = sum(r.passed for r in results)
    failed = sum(r.failed for r in results)
    total_skipped = sum(r.skipped for r in results)
    log(
        f"{passed} passed, {failed} failed"
        + (f", {total_skipped} skipped" if total_skipped else "")
    )
    return 0 if results and all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
