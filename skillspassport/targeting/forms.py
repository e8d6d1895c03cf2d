from __future__ import annotations

from decimal import Decimal
from typing import Any

from skillspassport.core.forms import (
    GovukForm,
    choice_field,
    number_field,
    style_widget,
    text_field,
)
from skillspassport.targeting.analytics.presets import PRESETS
from skillspassport.targeting.selectors import BASES

COMPONENTS = sorted({c.code: c.label for m in PRESETS.values() for c in m.components}.items())


class TargetingForm(GovukForm):
    preset = choice_field(
        "Method", [(m.code, m.label) for m in PRESETS.values()], select="a method", initial="deri"
    )
    base = choice_field(
        "Scale each indicator against",
        list(BASES.items()),
        select="what to scale each indicator against",
        initial="council",
        help_text="10 is the highest value in this base, 0 the lowest.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in COMPONENTS:
            self.fields[f"w_{code}"] = number_field(
                f"{label} weight",
                required=False,
                minimum=Decimal(0),
                maximum=Decimal(100),
                decimal_places=2,
            )
            style_widget(self.fields[f"w_{code}"].widget)

    def weights(self) -> dict[str, float]:
        """Component weights the user set (only for the chosen method's components)."""
        method = PRESETS[self.cleaned_data["preset"]]
        chosen = {}
        for component in method.components:
            value = self.cleaned_data.get(f"w_{component.code}")
            if value is not None:
                chosen[component.code] = float(value)
        return chosen


class PlanForm(GovukForm):
    name = text_field("Plan name", 150, enter="a name for the plan")
    rationale = text_field(
        "Why these areas",
        4000,
        rows=4,
        name="The reasons",
        enter="why these areas were chosen",
    )
