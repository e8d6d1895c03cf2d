"""Forms for delivering a project: the agreement and its milestones, and spend."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from skillspassport.core.forms import (
    GovukDateField,
    GovukForm,
    OnceOnlyFormMixin,
    choice_field,
    date_field,
    money_field,
    style_widget,
    text_field,
)
from skillspassport.funding.models import SpendCategory
from skillspassport.funding.services import MilestoneSpec

MILESTONE_ROWS = 6


class SpendForm(OnceOnlyFormMixin, GovukForm):
    spent_on = GovukDateField(label="Date of spend")
    amount = money_field("Amount (£)")
    category = choice_field(
        "Category",
        [("", "Choose a category"), *SpendCategory.choices],
        radio=False,
        select="a category of spend",
    )
    description = text_field("Description", 300, enter="a description of the spend")


class MilestoneCompleteForm(GovukForm):
    completed_on = GovukDateField(label="Date completed")


class AgreementForm(GovukForm):
    """The signed agreement and up to six milestones (blank rows are ignored)."""

    reference = text_field("Agreement reference (optional)", 60, required=False, name="Reference")
    signed_on = GovukDateField(label="Date signed")
    value = money_field("Agreement value (£)")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MILESTONE_ROWS + 1):
            self.fields[f"m{n}_description"] = text_field(f"Milestone {n}", 300, required=False)
            self.fields[f"m{n}_due_on"] = date_field(f"Milestone {n} due date", required=False)
            self.fields[f"m{n}_payment"] = money_field(
                f"Milestone {n} payment (£)", required=False, minimum=Decimal(0)
            )
        for field in self.fields.values():
            style_widget(field.widget)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, MILESTONE_ROWS + 1):
            description = (data.get(f"m{n}_description") or "").strip()
            due, payment = data.get(f"m{n}_due_on"), data.get(f"m{n}_payment")
            if not description and due is None and payment is None:
                continue
            if not description:
                self.add_error(f"m{n}_description", f"Describe milestone {n}")
            if due is None and f"m{n}_due_on" not in self.errors:
                self.add_error(f"m{n}_due_on", f"Enter milestone {n} due date")
            if payment is None and f"m{n}_payment" not in self.errors:
                self.add_error(f"m{n}_payment", f"Enter milestone {n} payment (0 if none)")
        return data

    def milestones(self) -> list[MilestoneSpec]:
        return [
            MilestoneSpec(
                self.cleaned_data[f"m{n}_description"].strip(),
                self.cleaned_data[f"m{n}_due_on"],
                self.cleaned_data[f"m{n}_payment"],
            )
            for n in range(1, MILESTONE_ROWS + 1)
            if (self.cleaned_data.get(f"m{n}_description") or "").strip()
        ]
