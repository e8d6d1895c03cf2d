"""Map job-advert text to ESCO skills, one JSON line in, one JSON line out.

    python manage.py skills_map < adverts.jsonl > skills.jsonl
    python manage.py skills_map --method lexical --top 5 < adverts.jsonl
    python manage.py skills_map --build-index     # once, for the optional embedding mapper

Each input line is {"id": ..., "text": "..."}; each output line is {"id": ...,
"skills": [{"uri", "label", "score"}, ...]} best first, or {"id": ..., "error": "..."} for a
line that cannot be mapped (bad JSON, no id or text, text refused by check_advert_text) — the
command carries on with the next line. Output is flushed line by line, so it can sit in a pipe.
"""

from __future__ import annotations

import json
import sys
import time
from typing import IO, Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillspassport.employers.skillsmap import (
    MAX_TOP,
    AdvertTextError,
    SkillMapper,
    check_advert_text,
    get_mapper,
)

METHODS = ("auto", "lexical", "embedding", "hybrid", "keyword")


class Command(BaseCommand):
    help = "Map job-advert text (JSON lines on stdin) to ranked ESCO skills (JSON lines on stdout)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--method",
            choices=METHODS,
            default="auto",
            help="auto (default: hybrid when the ml extra and index are there, else lexical), "
            "lexical, embedding, hybrid or keyword (the baseline)",
        )
        parser.add_argument(
            "--top", type=int, default=MAX_TOP, help=f"skills per advert, 1 to {MAX_TOP}"
        )
        parser.add_argument(
            "--build-index",
            action="store_true",
            help="embed the ESCO labels for the embedding mapper (needs the ml extra) and exit",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        index_dir = settings.SKILLS_MAP_INDEX_DIR
        if options["build_index"]:
            self._build_index(index_dir)
            return
        top = options["top"]
        if not 1 <= top <= MAX_TOP:
            raise CommandError(f"--top must be between 1 and {MAX_TOP}")
        try:
            mapper = get_mapper(options["method"], index_dir=index_dir)
        except (ImportError, FileNotFoundError) as exc:
            raise CommandError(
                f"the {options['method']} mapper is not available: {exc}. Install it with "
                "`make install-ml`, or use --method lexical"
            ) from exc
        stdin: IO[str] = options.get("stdin") or sys.stdin
        for line in stdin:
            if line.strip():
                self.stdout.write(json.dumps(map_line(mapper, line, top), ensure_ascii=False))
                self.stdout.flush()

    def _build_index(self, index_dir: Any) -> None:
        try:
            from skillspassport.employers.skillsmap.embedding import build_index
        except ImportError as exc:  # pragma: no cover - the module itself imports nothing heavy
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        try:
            path = build_index(index_dir)
        except ImportError as exc:
            raise CommandError(
                f"the embedding mapper needs the ml extra (`make install-ml`): {exc}"
            ) from exc
        self.stdout.write(f"wrote {path} in {time.perf_counter() - started:.0f} s")


def map_line(mapper: SkillMapper, line: str, top: int) -> dict[str, Any]:
    """One input line to one output object; never raises for bad input."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"Line is not valid JSON: {exc.msg}"}
    if not isinstance(record, dict):
        return {"id": None, "error": 'Line must be a JSON object with "id" and "text"'}
    advert_id = record.get("id")
    if advert_id is None:
        return {"id": None, "error": 'Line has no "id"'}
    text = record.get("text")
    if not isinstance(text, str):
        return {"id": advert_id, "error": 'Line has no "text", or it is not a string'}
    try:
        cleaned = check_advert_text(text)
    except AdvertTextError as exc:
        return {"id": advert_id, "error": exc.message}
    matches = mapper.map(cleaned, top=top)
    return {
        "id": advert_id,
        "skills": [{"uri": m.uri, "label": m.label, "score": m.score} for m in matches],
    }
