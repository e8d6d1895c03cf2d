"""Plain names for the skill areas and levels of a scheme's framework."""

from __future__ import annotations

from dataclasses import dataclass

from skillspassport.accounts.models import Organisation
from skillspassport.skills.models import ScaleStep, SkillArea
from skillspassport.skills.selectors import rule_set_for_organisation


@dataclass(frozen=True)
class FrameworkWords:
    areas: dict[str, str]  # area code -> "Digital: Handling information and content", in order
    strands: dict[str, str]  # area code -> strand code
    levels: dict[tuple[str, str], str]  # (strand, scale code) -> "For work"

    def need(self, area_code: str, strand: str, level: str) -> str:
        area = self.areas.get(area_code, area_code)
        name = self.levels.get((strand, level))
        return f"{area} ({name})" if name else area


def framework_words(*, organisation: Organisation) -> FrameworkWords:
    """Plain names for the skill areas and levels of the scheme's framework."""
    council = organisation.scheme_council or organisation
    framework = rule_set_for_organisation(organisation=council).framework
    rows = list(
        SkillArea.objects.filter(strand__framework=framework)
        .order_by("strand__position", "position")
        .values_list("code", "strand__code", "strand__name", "name")
    )
    areas = {code: f"{strand_name}: {name}" for code, _, strand_name, name in rows}
    strands = {code: strand for code, strand, _, _ in rows}
    levels = {
        (strand, code): name
        for strand, code, name in ScaleStep.objects.filter(strand__framework=framework).values_list(
            "strand__code", "code", "name"
        )
    }
    return FrameworkWords(areas, strands, levels)
