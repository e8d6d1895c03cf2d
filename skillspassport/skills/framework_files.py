"""Reading and checking framework YAML files (the versioned source of the skills framework)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import yaml

from skillspassport.skills.analytics.levels import (
    DescriptorSpec,
    FrameworkSpec,
    StrandSpec,
    validate_rules,
)

FRAMEWORK_DIR = Path(__file__).resolve().parent / "data" / "frameworks"


class FrameworkFileError(ValueError):
    pass


def framework_files() -> list[Path]:
    return sorted(FRAMEWORK_DIR.glob("*.yaml"))


def read_framework_file(path: Path) -> tuple[dict[str, Any], str]:
    """The parsed document and its SHA-256; FrameworkFileError listing every problem."""
    raw = path.read_bytes()
    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise FrameworkFileError(f"{path.name}: not valid YAML: {exc}") from exc
    errors = check_framework_document(doc)
    if errors:
        raise FrameworkFileError(f"{path.name}: " + "; ".join(errors))
    return doc, hashlib.sha256(raw).hexdigest()


def spec_from_document(doc: dict[str, Any]) -> FrameworkSpec:
    strands = {}
    descriptors = {}
    for strand in doc["strands"]:
        strands[strand["code"]] = StrandSpec(
            code=strand["code"],
            name=strand["name"],
            scale=tuple((s["code"], s["name"]) for s in strand["scale"]),
            areas=tuple((a["code"], a["name"]) for a in strand["areas"]),
        )
        for area in strand["areas"]:
            for d in area["descriptors"]:
                descriptors[d["code"]] = DescriptorSpec(
                    code=d["code"],
                    strand=strand["code"],
                    area=area["code"],
                    level=d["level"],
                    replaces=tuple(d.get("replaces", ())),
                )
    return FrameworkSpec(str(doc["version"]), strands, descriptors)


def check_framework_document(doc: Any) -> list[str]:
    if not isinstance(doc, dict):
        return ["the file must hold a mapping"]
    errors = [
        f"missing '{key}'"
        for key in ("version", "title", "published", "strands", "level_rules")
        if key not in doc
    ]
    if errors:
        return errors
    seen_codes: set[str] = set()
    for strand in doc["strands"]:
        scale = {s.get("code") for s in strand.get("scale", [])}
        if not scale:
            errors.append(f"strand {strand.get('code')}: empty scale")
        for area in strand.get("areas", []):
            for d in area.get("descriptors", []):
                code = d.get("code")
                if not code or not d.get("text"):
                    errors.append(f"area {area.get('code')}: a descriptor lacks code or text")
                    continue
                if code in seen_codes:
                    errors.append(f"descriptor code {code} is used twice")
                seen_codes.add(code)
                if d.get("level") not in scale:
                    errors.append(f"{code}: level '{d.get('level')}' is not on its strand's scale")
    if errors:
        return errors
    return validate_rules(spec_from_document(doc), doc["level_rules"])
