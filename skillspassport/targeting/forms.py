from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from skillspassport.core.forms import GovukForm
from skillspassport.targeting.analytics.presets import PRESETS
from skillspassport.targeting.selectors import BASES

COMPONENTS = sorted({c.code: c.label for m in PRESETS.values() for c in m.components}.items())


class TargetingForm(GovukForm):
    preset = forms.ChoiceField(
        label="Method",
        choices=[(m.code, m.label) for m in PRESETS.values()],
        widget=forms.RadioSelect,
        initial="deri",
    )
    base = forms.ChoiceField(
        label="Scale each indicator against",
        choices=list(BASES.items()),
        widget=forms.RadioSelect,
        initial="council",
        help_text="10 is the highest value in this base, 0 the lowest.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in COMPONENTS:
            self.fields[f"w_{code}"] = forms.DecimalField(
                label=f"{label} weight",
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100),
                max_digits=6,
                decimal_places=2,
                error_messages={
                    "min_value": f"{label} weight cannot be negative",
                    "max_value": f"{label} weight must be 100 or less",
                    "invalid": f"{label} weight must be a number",
                },
            )

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
    name = forms.CharField(
        label="Plan name",
        max_length=150,
        error_messages={
            "required": "Enter a name for the plan",
            "max_length": "The name must be 150 characters or fewer",
        },
    )
    rationale = forms.CharField(
        label="Why these areas",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Say why these areas were chosen",
            "max_length": "The reasons must be 4,000 characters or fewer",
        },
    )
