"""`make bench`: credential signing and verification on one core; area targeting at England
scale; matching residents to opportunities; skills mapping from job adverts (quality on
validation data and speed on one core); denial-of-service checks of the public verification
endpoints on a real server (benchmarks.dos); then seed N residents (~20 evidence items each)
on SQLite and PostgreSQL and measure.

Each backend runs in its own process (`benchmarks.backend`) against a fresh database, so the
figures for both come from one invocation on the same machine. Prints a table and writes
benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/test")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--requests", type=int, default=300, help="page requests per page type")
    parser.add_argument(
        "--only",
        choices=["all", "credentials", "targeting", "skillsmap", "matching", "dos", "database"],
        default="all",
        help="what to run",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=ROOT.parent / "shared" / "data",
        help="folder of national open data files (targeting) and ESCO validation data (skillsmap)",
    )
    args = parser.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict[str, dict[str, float]] = {}
    dos_results: dict[str, Any] | None = None
    if args.only in ("all", "credentials"):
        print("\n== credentials (one core, no database) ==", flush=True)
        credential_results = credential_benchmark()
        results["credentials"] = credential_results
    if args.only in ("all", "matching"):
        print("\n== matching 100,000 residents against 5,000 opportunities ==", flush=True)
        from benchmarks.matching import run as run_matching

        results["matching"] = run_matching()
    targeting_results = None
    if args.only in ("all", "targeting"):
        print("\n== area targeting at England scale ==", flush=True)
        if (args.data / "iod2025").is_dir():
            targeting_results = targeting_benchmark(args.data)
            results["targeting"] = targeting_results
        else:
            print(f"skipped: no national files at {args.data} (use --data DIR)")
    if args.only in ("all", "skillsmap"):
        print("\n== skills mapping from job adverts ==", flush=True)
        if (args.data / "esco" / "dev").is_dir():
            results["skillsmap"] = skillsmap_benchmark(args.data)
        else:
            print(f"skipped: no ESCO validation files at {args.data}/esco/dev (use --data DIR)")
    if args.only in ("all", "dos"):
        print("\n== denial-of-service checks (gunicorn, 2 sync workers) ==", flush=True)
        dos_results = dos_benchmark()
    backends = args.backends.split(",") if args.only in ("all", "database") else []
    for backend in backends:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "result.json"
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}" if backend == "sqlite" else args.pg_url
            cmd = [
                sys.executable,
                "-m",
                "benchmarks.backend",
                "--database-url",
                url,
                "--backend",
                backend,
                "--residents",
                str(args.residents),
                "--requests",
                str(args.requests),
                "--out",
                str(out),
            ]
            if (args.data / "iod2025").is_dir():
                cmd += ["--data", str(args.data)]
            print(f"\n== {backend} ==", flush=True)
            done = subprocess.run(cmd, cwd=ROOT, env={**os.environ}, check=False)  # noqa: S603
            if done.returncode != 0:
                print(f"{backend} benchmark failed", file=sys.stderr)
                return done.returncode
            results[backend] = json.loads(out.read_text())
    written = results | ({"dos": dos_results} if dos_results is not None else {})
    (RESULTS / "latest.json").write_text(json.dumps(written, indent=2))
    if "credentials" in results:
        from benchmarks.credentials import print_table as print_credentials

        print_credentials(results.pop("credentials"))
    if "matching" in results:
        from benchmarks.matching import print_table as print_matching

        print_matching(results.pop("matching"))
    if "targeting" in results:
        from benchmarks.targeting import print_table as print_targeting

        print_targeting(results.pop("targeting"))
    if results.get("skillsmap"):
        from benchmarks.skillsmap import print_table as print_skillsmap

        print_skillsmap(results["skillsmap"])
    results.pop("skillsmap", None)
    if results:
        print_table(results)
    if dos_results is not None:
        from benchmarks.dos import print_table as print_dos

        answers = dos_results.get("answers") or []
        if answers:
            print_dos(dos_results)
        if not answers or not all(a["ok"] for a in answers):
            print("The denial-of-service checks failed (see above).", file=sys.stderr)
            return 1
    return 0


def targeting_benchmark(data: Path) -> dict[str, float]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from benchmarks.targeting import run

    return run(data)


def skillsmap_benchmark(data: Path) -> dict[str, float]:
    """Pure-Python skills mapping, in a child process pinned to one core (so this one is not)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "skillsmap.json"
        cmd = [sys.executable, "-m", "benchmarks.skillsmap", "--data", str(data), "--out", str(out)]
        env = {**os.environ, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        done = subprocess.run(cmd, cwd=ROOT, env=env, check=False)  # noqa: S603
        if done.returncode != 0:
            print("skills mapping benchmark failed", file=sys.stderr)
            return {}
        return json.loads(out.read_text())


def dos_benchmark() -> dict[str, Any]:
    """benchmarks.dos in a child process (it runs its own gunicorn); its figures, or {} if it
    could not run."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dos.json"
        cmd = [sys.executable, "-m", "benchmarks.dos", "--out", str(out)]
        subprocess.run(cmd, cwd=ROOT, env={**os.environ}, check=False)  # noqa: S603
        if not out.exists():
            print("denial-of-service checks could not run", file=sys.stderr)
            return {}
        return dict(json.loads(out.read_text()))


def credential_benchmark() -> dict[str, float]:
    """Pure-Python credential measurements, in this process (Django set up for imports only)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from benchmarks.credentials import run

    return run()


def print_table(results: dict[str, dict[str, float]]) -> None:
    rows = [
        ("residents", "residents", "{:,.0f}"),
        ("import national area data (all files), s", "area_import_s", "{:.1f}"),
        ("evidence rows", "evidence_rows", "{:,.0f}"),
        ("evidence per resident", "evidence_per_resident", "{:.1f}"),
        ("seeding, rows/s (generate + ORM bulk insert)", "seed_rows_per_s", "{:,.0f}"),
        ("ORM bulk insert, rows/s", "orm_insert_rows_per_s", "{:,.0f}"),
        ("raw executemany insert, rows/s", "raw_insert_rows_per_s", "{:,.0f}"),
        ("seeding rate ÷ raw insert rate", "seed_to_raw_ratio", "{:.2f}"),
        ("ORM insert rate ÷ raw insert rate", "orm_to_raw_ratio", "{:.2f}"),
        ("passport recompute, residents/s", "recompute_per_s", "{:,.0f}"),
        ("residents list p50, ms", "list_p50_ms", "{:.1f}"),
        ("residents list p95, ms", "list_p95_ms", "{:.1f}"),
        ("residents search p50, ms", "search_p50_ms", "{:.1f}"),
        ("residents search p95, ms", "search_p95_ms", "{:.1f}"),
        ("resident page p50, ms", "detail_p50_ms", "{:.1f}"),
        ("resident page p95, ms", "detail_p95_ms", "{:.1f}"),
        ("list queries per request", "list_queries", "{:.0f}"),
        ("resident page queries per request", "detail_queries", "{:.0f}"),
        ("monitoring report: events in the database", "report_events", "{:,.0f}"),
        ("monitoring report: build every figure, s", "report_s", "{:.2f}"),
        ("monitoring report: peak Python memory, MiB", "report_peak_mib", "{:.1f}"),
        (
            "same KPIs by per-record ORM loops, s (from a 2,000 sample)",
            "report_naive_s_extrapolated",
            "{:.1f}",
        ),
        ("report speed-up over per-record loops", "report_speedup", "{:.0f} times"),
    ]
    backends = list(results)
    print("\n| measure | " + " | ".join(backends) + " |")
    print("|---|" + "---:|" * len(backends))
    for label, key, fmt in rows:
        cells = [fmt.format(results[b][key]) if key in results[b] else "-" for b in backends]
        print(f"| {label} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    sys.exit(main())
