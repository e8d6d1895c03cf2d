"""Skills mapping from job-advert text: ranking quality and speed, every method in one run.

Quality is measured on the TECH and HOUSE validation splits of Decorte et al. (2022): job-advert
sentences with the ESCO skills annotators chose for them. Gold labels are ESCO v1.1.0 preferred
labels, mapped to v1.1.1 URIs by label; "LABEL NOT PRESENT" and "UNDERSPECIFIED" rows are
skipped and repeated (sentence, label) rows counted once. For each gold (sentence, skill) pair:

- recall@5: the skill is among the method's top 5 for the sentence;
- MRR: 1 / its rank in the top 20 (0 if it is not there), averaged over the pairs.

These splits are validation data: the lexical mapper's constants were tuned on them, so the
figures are optimistic for unseen adverts.

Speed is measured on one core (the process is pinned to one CPU with os.sched_setaffinity,
torch.set_num_threads(1), OMP_NUM_THREADS=1), one text at a time with fresh caches: sentences
per second over the validation sentences, and adverts per second over the 58 SkillSpan
development adverts (sentences sharing an `idx` joined with line breaks, about 690 words each).
Rates are per CPU second of this process (the machine may be shared), with the wall-clock
rate beside them.
"""

from __future__ import annotations

import csv
import json
import os
import time
from collections.abc import Sequence
from pathlib import Path

from config.env import SKILLS_MAP_INDEX_DIR
from skillspassport.employers.skillsmap import SkillMapper, get_mapper
from skillspassport.employers.skillsmap.esco import load_esco

NOT_SKILLS = {"LABEL NOT PRESENT", "UNDERSPECIFIED"}
SPLITS = ("tech", "house")


def load_gold(path: Path) -> dict[str, set[str]]:
    """sentence → gold ESCO preferred labels (deduplicated, non-skills dropped)."""
    gold: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["label"] in NOT_SKILLS:
                continue
            gold.setdefault(row["sentence"], set()).add(row["label"])
    return gold


def load_adverts(path: Path) -> list[str]:
    by_idx: dict[int, list[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            by_idx.setdefault(row["idx"], []).append(" ".join(row["tokens"]))
    return ["\n".join(sentences) for _, sentences in sorted(by_idx.items())]


def quality(mapper: SkillMapper, gold: dict[str, set[str]]) -> dict[str, float]:
    esco = load_esco()
    uris_by_label: dict[str, set[str]] = {}
    for concept in esco.concepts:
        uris_by_label.setdefault(concept.label, set()).add(concept.uri)
    sentences = list(gold)
    ranked = mapper.map_many(sentences, top=20)
    pairs = hits = 0
    reciprocal = 0.0
    for sentence, matches in zip(sentences, ranked, strict=True):
        uris = [m.uri for m in matches]
        for label in gold[sentence]:
            pairs += 1
            wanted = uris_by_label.get(label, set())
            rank = next((i + 1 for i, uri in enumerate(uris) if uri in wanted), None)
            if rank is not None:
                hits += rank <= 5
                reciprocal += 1 / rank
    return {"pairs": pairs, "recall5": hits / pairs, "mrr": reciprocal / pairs}


def throughput(
    mapper: SkillMapper, texts: Sequence[str], seconds: float = 5.0
) -> tuple[float, float]:
    """(texts per CPU second, texts per wall-clock second), one text at a time, cold caches.

    The machine may be shared: CPU time (time.process_time, this process only, pinned to one
    core) measures the work itself; wall-clock time also counts waiting for the core.
    """
    done = 0
    cpu = wall = 0.0
    while cpu < seconds:
        clear = getattr(mapper, "clear_cache", None)
        if clear is not None:
            clear()
        for text in texts:
            started_cpu, started_wall = time.process_time(), time.perf_counter()
            mapper.map(text, top=20)
            cpu += time.process_time() - started_cpu
            wall += time.perf_counter() - started_wall
            done += 1
            if cpu >= seconds and done >= 10:
                break
    return done / cpu, done / wall


def pin_one_core() -> str:
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    return f"cpu {cpu}"


def methods() -> list[str]:
    names = ["keyword", "lexical"]
    try:
        get_mapper("embedding", index_dir=SKILLS_MAP_INDEX_DIR)
    except (ImportError, FileNotFoundError) as exc:
        print(f"embedding and hybrid skipped: {exc}")
    else:
        names += ["embedding", "hybrid"]
    return names


def run(data: Path) -> dict[str, float]:
    esco_dir = data / "esco" / "dev"
    print(f"pinned to {pin_one_core()}", flush=True)
    golds = {split: load_gold(esco_dir / f"{split}_validation_annotations.csv") for split in SPLITS}
    adverts = load_adverts(esco_dir / "skillspan_dev.json")
    results: dict[str, float] = {}
    for name in methods():
        mapper = get_mapper(name, index_dir=SKILLS_MAP_INDEX_DIR)
        for split, gold in golds.items():
            for key, value in quality(mapper, gold).items():
                results[f"{name}.{split}.{key}"] = value
        sentences = [s for gold in golds.values() for s in gold]
        cpu, wall = throughput(mapper, sentences)
        results[f"{name}.sentences_per_s"], results[f"{name}.sentences_per_wall_s"] = cpu, wall
        cpu, wall = throughput(mapper, adverts)
        results[f"{name}.adverts_per_s"], results[f"{name}.adverts_per_wall_s"] = cpu, wall
        print(f"{name} done", flush=True)
    results["adverts"] = len(adverts)
    results["advert_words"] = sum(len(a.split()) for a in adverts) / len(adverts)
    return results


def print_table(results: dict[str, float]) -> None:
    names = [
        n for n in ("keyword", "lexical", "embedding", "hybrid") if f"{n}.tech.pairs" in results
    ]
    print(
        f"\nskills mapping: TECH {results[f'{names[0]}.tech.pairs']:.0f} and HOUSE "
        f"{results[f'{names[0]}.house.pairs']:.0f} gold (sentence, skill) pairs; "
        f"{results['adverts']:.0f} adverts of {results['advert_words']:.0f} words on average"
    )
    print(
        "\n| method | TECH recall@5 | TECH MRR | HOUSE recall@5 | HOUSE MRR "
        "| sentences per CPU s | adverts per CPU s | adverts per wall-clock s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in names:
        print(
            f"| {name} | {results[f'{name}.tech.recall5']:.3f} | {results[f'{name}.tech.mrr']:.3f}"
            f" | {results[f'{name}.house.recall5']:.3f} | {results[f'{name}.house.mrr']:.3f}"
            f" | {results[f'{name}.sentences_per_s']:,.0f}"
            f" | {results[f'{name}.adverts_per_s']:,.1f}"
            f" | {results[f'{name}.adverts_per_wall_s']:,.1f} |"
        )


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="folder holding esco/dev/")
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    args = parser.parse_args()
    results = run(args.data)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2))
    else:
        print_table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
