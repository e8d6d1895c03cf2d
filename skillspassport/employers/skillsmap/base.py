"""What every mapper shares: the result type, the protocol, advert splitting and aggregation."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from skillspassport.employers.skillsmap.esco import Esco
from skillspassport.employers.skillsmap.text import split_segments

MAX_TOP = 20


@dataclass(frozen=True)
class SkillMatch:
    uri: str  # ESCO concept URI
    label: str  # ESCO preferred label
    score: float  # 0-1, higher is a better match


class SkillMapper(Protocol):
    name: str

    def map(self, text: str, *, top: int = MAX_TOP) -> list[SkillMatch]:
        """The best ESCO skills for the text, best first, at most `top`."""
        ...

    def map_many(self, texts: Sequence[str], *, top: int = MAX_TOP) -> list[list[SkillMatch]]:
        """`map` for each text, in order (batched where the mapper can)."""
        ...


# Sentences about the employer, pay, perks and equal opportunities rather than the job's
# skills. Their matches are kept but scaled down, so "we are an equal opportunities employer"
# does not come back as "promote equal opportunities" with a high score.
BOILERPLATE = re.compile(
    r"equal opportunit|diversity|diverse (?:workforce|team|backgrounds?)|inclusive|inclusion"
    r"|regardless of|\brace\b|religion|sexual orientation|gender identity|marital|disabilit"
    r"|veteran|protected characteristic|reasonable adjustment|disability confident"
    r"|salary|per annum|per hour|pension|annual leave|holiday|benefits? package|perks"
    r"|bonus|discount|cycle to work|apply (?:now|today|online)|to apply|closing date"
    r"|cv to|send (?:us )?your cv|recruitment agency|about us|we are (?:a|an|the) "
    r"|our (?:company|client|organi[sz]ation|mission|values|culture)|founded in"
    r"|award-winning|great place to work|privacy notice|cookies|dbs check|right to work",
    re.IGNORECASE,
)
BOILERPLATE_WEIGHT = 0.25

# How much the second and third pieces of evidence for a skill add (noisy-or weights).
EVIDENCE_WEIGHTS = (1.0, 0.3, 0.1)


def segment_weight(segment: str) -> float:
    return BOILERPLATE_WEIGHT if BOILERPLATE.search(segment) else 1.0


class SegmentMapper:
    """A mapper that scores advert segments (sentences, bullets) and aggregates per advert.

    Subclasses implement `score_segments`: for each segment, concept index → score in [0, 1].
    """

    name = "segments"
    esco: Esco

    def score_segments(self, segments: Sequence[str]) -> list[dict[int, float]]:
        raise NotImplementedError

    def clear_cache(self) -> None:
        """Forget remembered segment scores (benchmarks measure cold)."""

    def map(self, text: str, *, top: int = MAX_TOP) -> list[SkillMatch]:
        return self.map_many([text], top=top)[0]

    def map_many(self, texts: Sequence[str], *, top: int = MAX_TOP) -> list[list[SkillMatch]]:
        top = max(0, min(top, MAX_TOP))
        split = [split_segments(text) for text in texts]
        unique = list(dict.fromkeys(s for segments in split for s in segments))
        scored = dict(zip(unique, self.score_segments(unique), strict=True))
        results: list[list[SkillMatch]] = []
        for segments in split:
            evidence: dict[int, list[float]] = {}
            for segment in dict.fromkeys(segments):
                weight = segment_weight(segment)
                for index, score in scored[segment].items():
                    evidence.setdefault(index, []).append(score * weight)
            results.append(self._ranked(evidence, top))
        return results

    def _ranked(self, evidence: dict[int, list[float]], top: int) -> list[SkillMatch]:
        combined = {index: combine(scores) for index, scores in evidence.items()}
        best = sorted(combined.items(), key=lambda item: (-item[1], item[0]))[:top]
        concepts = self.esco.concepts
        return [
            SkillMatch(concepts[i].uri, concepts[i].label, round(score, 4))
            for i, score in best
            if score > 0
        ]


def combine(scores: Iterable[float]) -> float:
    """Noisy-or of a skill's best pieces of evidence: more mentions add a little."""
    miss = 1.0
    for weight, score in zip(EVIDENCE_WEIGHTS, sorted(scores, reverse=True), strict=False):
        miss *= 1.0 - weight * min(1.0, max(0.0, score))
    return 1.0 - miss
