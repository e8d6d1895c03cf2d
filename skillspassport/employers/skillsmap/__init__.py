"""Skills mapping from job-advert text to ESCO skills, rolled up to the passport framework.

Pure Python, no Django. The lexical mapper always works; the embedding (and hybrid) mapper
needs the optional `ml` packages and a label index built once (`manage.py skills_map
--build-index`). See docs/adr/0009-skills-mapping-from-adverts.md.

    text = check_advert_text(pasted)           # raises AdvertTextError(message)
    matches = get_mapper().map(text, top=20)   # [SkillMatch(uri, label, score), ...]
    needs = rollup(matches, load_crosswalk())  # [FrameworkNeed(area_code, strand, level, because)]
"""

from __future__ import annotations

import threading
from pathlib import Path

from skillspassport.employers.skillsmap.base import MAX_TOP, SegmentMapper, SkillMapper, SkillMatch
from skillspassport.employers.skillsmap.crosswalk import (
    CROSSWALK_PATH,
    Crosswalk,
    FrameworkNeed,
    load_crosswalk,
    rollup,
)
from skillspassport.employers.skillsmap.esco import Esco, load_esco
from skillspassport.employers.skillsmap.lexical import KeywordBaseline, LexicalMapper
from skillspassport.employers.skillsmap.text import AdvertTextError, check_advert_text

__all__ = [
    "CROSSWALK_PATH",
    "MAX_TOP",
    "AdvertTextError",
    "Crosswalk",
    "Esco",
    "FrameworkNeed",
    "KeywordBaseline",
    "LexicalMapper",
    "SegmentMapper",
    "SkillMapper",
    "SkillMatch",
    "check_advert_text",
    "configure",
    "default_index_dir",
    "get_mapper",
    "load_crosswalk",
    "load_esco",
    "rollup",
]

METHODS = ("auto", "lexical", "embedding", "hybrid", "keyword")

_LOCK = threading.Lock()
_MAPPERS: dict[tuple[str, Path], SkillMapper] = {}
_INDEX_DIR: list[Path] = [Path(__file__).resolve().parents[3] / ".cache" / "skillsmap"]


def configure(*, index_dir: Path) -> None:
    """Where the embedding index lives (the app passes settings.SKILLS_MAP_INDEX_DIR)."""
    with _LOCK:
        _INDEX_DIR[0] = Path(index_dir)


def default_index_dir() -> Path:
    return _INDEX_DIR[0]


def get_mapper(prefer: str = "auto", *, index_dir: Path | None = None) -> SkillMapper:
    """A loaded mapper, cached per process.

    "auto" is the hybrid (embedding + lexical) mapper when the optional packages are installed
    and the index is built, else the lexical one. "lexical", "keyword", "embedding" and
    "hybrid" ask for one; "embedding" and "hybrid" raise ImportError (packages missing) or
    FileNotFoundError (index not built).
    """
    if prefer not in METHODS:
        raise ValueError(f"unknown mapping method {prefer!r}: use one of {', '.join(METHODS)}")
    where = Path(index_dir) if index_dir is not None else default_index_dir()
    if prefer == "auto":
        try:
            return get_mapper("hybrid", index_dir=where)
        except (ImportError, FileNotFoundError):
            return get_mapper("lexical", index_dir=where)
    key = (prefer, where if prefer in ("embedding", "hybrid") else Path())
    with _LOCK:
        mapper = _MAPPERS.get(key)
        if mapper is None:
            mapper = _build(prefer, where)
            _MAPPERS[key] = mapper
        return mapper


def _build(method: str, index_dir: Path) -> SkillMapper:
    if method == "keyword":
        return KeywordBaseline()
    if method == "lexical":
        return LexicalMapper()
    from skillspassport.employers.skillsmap.embedding import EmbeddingMapper, HybridMapper

    embedding = EmbeddingMapper.load(index_dir)
    if method == "embedding":
        return embedding
    lexical = _MAPPERS.get(("lexical", Path()))
    if lexical is None:
        lexical = LexicalMapper()
        _MAPPERS[("lexical", Path())] = lexical
    assert isinstance(lexical, LexicalMapper)
    return HybridMapper(embedding, lexical)
