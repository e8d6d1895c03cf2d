"""The ESCO skills slice shipped with the app, loaded once per process.

ESCO classification, © European Union, https://esco.ec.europa.eu (v1.1.1, English). The file
is built by `scripts/build_esco_slice.py`; DATA.md says how.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import threading
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ESCO_PATH = DATA_DIR / "esco_skills_v1.1.1.tsv.gz"


@dataclass(frozen=True)
class Concept:
    uri: str
    label: str  # preferred label
    alt_labels: tuple[str, ...]
    skill_type: str  # "skill/competence" or "knowledge"
    reuse_level: str  # transversal, cross-sector, sector-specific, occupation-specific
    digital: bool
    digcomp: bool
    transversal: bool

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.alt_labels)


@dataclass(frozen=True)
class Esco:
    concepts: tuple[Concept, ...]
    by_uri: dict[str, int]
    digest: str  # sha256 of the file, so caches built from another slice are not reused

    def __len__(self) -> int:
        return len(self.concepts)

    def get(self, uri: str) -> Concept | None:
        index = self.by_uri.get(uri)
        return None if index is None else self.concepts[index]


def read_esco(path: Path = ESCO_PATH) -> Esco:
    raw = path.read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    concepts: list[Concept] = []
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        alts = tuple(a for a in row["alt_labels"].split(" | ") if a)
        concepts.append(
            Concept(
                uri=row["uri"],
                label=row["preferred_label"],
                alt_labels=alts,
                skill_type=row["skill_type"],
                reuse_level=row["reuse_level"],
                digital=row["digital"] == "1",
                digcomp=row["digcomp"] == "1",
                transversal=row["transversal"] == "1",
            )
        )
    return Esco(
        concepts=tuple(concepts),
        by_uri={c.uri: i for i, c in enumerate(concepts)},
        digest=hashlib.sha256(raw).hexdigest(),
    )


_LOCK = threading.Lock()
_CACHE: dict[Path, Esco] = {}


def load_esco(path: Path = ESCO_PATH) -> Esco:
    """The slice at `path`, read once per process."""
    with _LOCK:
        if path not in _CACHE:
            _CACHE[path] = read_esco(path)
        return _CACHE[path]
