"""One backend's benchmark run (called by benchmarks.run in a fresh process)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from urllib.parse import urlparse


def prepare_database(url: str, backend: str) -> str:
    """A fresh, empty database; returns its URL."""
    if backend == "sqlite":
        return url
    import psycopg

    parsed = urlparse(url)
    name = "skillspassport_bench"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return parsed._replace(path=f"/{name}").geturl()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--backend", required=True)
    parser.add_argument("--residents", type=int, required=True)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--recompute-sample", type=int, default=5000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--data", default=None, help="national data folder to time the import")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = prepare_database(args.database_url, args.backend)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ["DEBUG"] = "false"  # no query log: it would grow without bound
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    import django

    django.setup()
    from benchmarks.measure import run

    result = run(
        residents=args.residents,
        requests=args.requests,
        recompute_sample=args.recompute_sample,
        backend=args.backend,
        data=args.data,
    )
    Path(args.out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
