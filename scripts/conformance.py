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

Exits non-zero if any test failed or a suite could not run. See docs/conformance.md. The
throwaway deployment (steps 1 and 2) is `scripts/deployment.py`, shared with the
denial-of-service checks (benchmarks/dos.py); the suites (steps 4 and 5) are
`scripts/conformance_suites.py`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from conformance_suites import (
    CACHE,
    SECRET_VARIABLE,
    SUITES,
    Client,
    Result,
    Suite,
    describe_failure,
    local_config,
    prepare_suite,
    run_suite,
)
from deployment import ROOT, app_environment, free_port, log, make_certificate, manage, serve

REPORTS = CACHE / "reports"
COUNCIL = "Sefton Council"
# Enough residents for seed_demo's training, employers and casework demos to find people.
DEMO_RESIDENTS = 100


# --- The app ------------------------------------------------------------------------------------


def setup_database(env: dict[str, str], log_file: Path) -> None:
    # seed_demo refuses production settings (it creates users with the published demo
    # password), so this throwaway deployment's database is seeded under the local settings:
    # the same database, secrets and SITE_URL, read from the same environment.
    seeding = env | {"DJANGO_SETTINGS_MODULE": "config.settings.local"}
    manage(["migrate", "--verbosity", "0"], env, log_file)
    manage(["load_reference_data", "--verbosity", "0"], env, log_file)
    manage(["seed_demo", "--residents", str(DEMO_RESIDENTS)], seeding, log_file)


def create_client(env: dict[str, str], log_file: Path) -> Client | None:
    """The suites' API client, or None if this version of the app has no api_client_create."""

    def command(*args: str) -> subprocess.CompletedProcess[str]:
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

    usage = command("--help")
    if usage.returncode != 0:
        if "Unknown command" in usage.stderr:
            return None
        raise RuntimeError(f"manage.py api_client_create --help failed:\n{usage.stderr[-2000:]}")
    # Every award the council issues, whichever name the option has in this version.
    every = [flag for flag in ("--all-awards", "--all-achievements") if flag in usage.stdout]
    done = command("--council", COUNCIL, "--name", "conformance", "--sandbox", *every[:1], "--json")
    if done.returncode != 0:
        raise RuntimeError(f"manage.py api_client_create failed:\n{done.stderr[-2000:]}")
    start = done.stdout.find("{")
    if start < 0:
        raise RuntimeError(f"api_client_create printed no JSON:\n{done.stdout[-2000:]}")
    data, _ = json.JSONDecoder().raw_decode(done.stdout[start:])
    return Client(**{k: str(data.get(k) or "") for k in Client.__dataclass_fields__})


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
    env = app_environment(tmp, base_url, CSRF_TRUSTED_ORIGINS=base_url, EMAIL_URL="consolemail://")
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
        options = ["--timeout", "120", "--access-logfile", "-"]
        with serve(env, port, logs / "gunicorn.log", options=options, tls=(cert, key)):
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
