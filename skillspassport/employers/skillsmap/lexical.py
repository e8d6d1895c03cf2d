"""Lexical mappers: a plain keyword baseline and the default label-coverage mapper. Pure Python.

`LexicalMapper` scores each ESCO label (preferred and alternative) by how much of the label
the segment covers, weighting words by rarity (inverse document frequency over concepts):

    coverage = idf of the label's terms found in the segment / idf of all the label's terms
    evidence = min(1, idf found / FULL_EVIDENCE)
    score    = coverage ** COVERAGE_POWER * evidence * phrase bonus * prior

Terms are stemmed and filler ("experience", "knowledge of", "strong") dropped on both sides;
capitalised acronyms are written out ("QA" → "quality assurance"); a label whose words appear
together and in order gets a bonus; alternative labels count slightly less than preferred
ones; transversal and cross-sector skills are nudged up and occupation-specific ones down
(adverts mostly ask for the former). A concept scores its best label.

`KeywordBaseline` is the naive method it is measured against: a label matches when its words
appear in the text, scored by the share of the label's words found.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from functools import lru_cache

from skillspassport.employers.skillsmap.base import SegmentMapper
from skillspassport.employers.skillsmap.esco import Esco, load_esco
from skillspassport.employers.skillsmap.text import ENGLISH_WORDS, terms, tokens

FULL_EVIDENCE = 7.0
COVERAGE_POWER = 2.0
PHRASE_BONUS = 1.15
ALT_LABEL_WEIGHT = 0.95
MIN_SCORE = 0.05
QUERY_COVERAGE_WEIGHT = 0.15
# Words that say what kind of thing a skill uses rather than which: missing them costs little.
LIGHT_TERMS = {"softwar": 0.3, "program": 0.3, "tool": 0.3, "system": 0.5, "equipment": 0.5}
SEED_MAX_DF = 1500  # very common terms only add to labels found through rarer ones
PRIOR = {
    "transversal": 1.1,
    "cross-sector": 1.05,
    "sector-specific": 1.0,
    "occupation-specific": 0.95,
    "": 1.0,
}


class LexicalMapper(SegmentMapper):
    name = "lexical"

    def __init__(self, esco: Esco | None = None) -> None:
        self.esco = esco or load_esco()
        label_terms: list[tuple[str, ...]] = []
        label_concept: list[int] = []
        label_weight: list[float] = []
        seen: set[tuple[int, tuple[str, ...]]] = set()
        for index, concept in enumerate(self.esco.concepts):
            prior = PRIOR.get(concept.reuse_level, 1.0)
            for position, label in enumerate(concept.labels):
                label_t = tuple(dict.fromkeys(terms(label, expand_acronyms=False)))
                if not label_t or (index, label_t) in seen:
                    continue
                seen.add((index, label_t))
                label_terms.append(label_t)
                label_concept.append(index)
                label_weight.append(prior * (1.0 if position == 0 else ALT_LABEL_WEIGHT))
        df: dict[str, set[int]] = {}
        for label_t, index in zip(label_terms, label_concept, strict=True):
            for term in label_t:
                df.setdefault(term, set()).add(index)
        n = len(self.esco)
        self.idf = {
            term: math.log(1 + n / len(c)) * LIGHT_TERMS.get(term, 1.0) for term, c in df.items()
        }
        self.top_weight = PHRASE_BONUS * max(PRIOR.values())
        self.df = {term: len(c) for term, c in df.items()}
        self.postings: dict[str, list[int]] = {}
        for label_id, label_t in enumerate(label_terms):
            for term in label_t:
                self.postings.setdefault(term, []).append(label_id)
        self.label_terms = label_terms
        self.label_concept = label_concept
        self.label_weight = label_weight
        self.label_mass = [sum(self.idf[t] for t in label_t) for label_t in label_terms]
        self._score_one = lru_cache(maxsize=4096)(self._score_uncached)

    def score_segments(self, segments: Sequence[str]) -> list[dict[int, float]]:
        return [self._score_one(segment) for segment in segments]

    def clear_cache(self) -> None:
        self._score_one.cache_clear()

    def _score_uncached(self, segment: str) -> dict[int, float]:
        query = terms(segment)
        if not query:
            return {}
        query_set = set(query)
        query_mass = sum(self.idf.get(t, 0.0) for t in query_set) or 1.0
        bigrams = set(itertools.pairwise(query))
        candidates: set[int] = set()
        for term in query_set:
            if self.df.get(term, SEED_MAX_DF + 1) <= SEED_MAX_DF:
                candidates.update(self.postings[term])
        scores: dict[int, float] = {}
        for label_id in candidates:
            label_t = self.label_terms[label_id]
            found = sum(self.idf[t] for t in label_t if t in query_set)
            coverage = found / self.label_mass[label_id]
            score = coverage**COVERAGE_POWER * min(1.0, found / FULL_EVIDENCE)
            score *= 1 - QUERY_COVERAGE_WEIGHT * (1 - min(1.0, found / query_mass))
            if len(label_t) > 1 and all(pair in bigrams for pair in itertools.pairwise(label_t)):
                score *= PHRASE_BONUS
            score = score * self.label_weight[label_id] / self.top_weight
            if score < MIN_SCORE:
                continue
            concept = self.label_concept[label_id]
            if score > scores.get(concept, 0.0):
                scores[concept] = score
        return scores


class KeywordBaseline(SegmentMapper):
    """Labels whose words appear in the text, scored by the share of the label's words found."""

    name = "keyword"

    def __init__(self, esco: Esco | None = None) -> None:
        self.esco = esco or load_esco()
        self.labels: list[tuple[int, frozenset[str]]] = []
        self.postings: dict[str, list[int]] = {}
        for index, concept in enumerate(self.esco.concepts):
            for label in concept.labels:
                words = _words(label)
                if words:
                    label_id = len(self.labels)
                    self.labels.append((index, words))
                    for word in words:
                        self.postings.setdefault(word, []).append(label_id)

    def score_segments(self, segments: Sequence[str]) -> list[dict[int, float]]:
        out: list[dict[int, float]] = []
        for segment in segments:
            words = _words(segment)
            scores: dict[int, float] = {}
            for label_id in {i for w in words for i in self.postings.get(w, ())}:
                index, label_words = self.labels[label_id]
                overlap = len(label_words & words) / len(label_words)
                if overlap > scores.get(index, 0.0):
                    scores[index] = overlap
            out.append(scores)
        return out


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in (t.lower() for t in tokens(text)) if w not in ENGLISH_WORDS)
