"""Forms for declarations, scores, decisions, spend and milestones, with GOV.UK-style messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from skillspassport.core.forms import GovukDateField, GovukForm, OnceOnlyFormMixin
from skillspassport.funding.models import Conflict, Criterion, Decision, SpendCategory

MAX_MONEY = Decimal("9999999999.99")


def _money_field(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{label} (£)",
        required=required,
        min_value=Decimal("0.01"),
        max_value=MAX_MONEY,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be an amount of money, like 250 or 250.50",
            "min_value": f"{label} must be more than £0",
            "max_value": f"{label} is too large",
            "max_digits": f"{label} is too large",
            "max_decimal_places": f"{label} must have no more than 2 decimal places (pence)",
            "max_whole_digits": f"{label} is too large",
        },
    )


class DeclarationForm(GovukForm):
    conflict = forms.ChoiceField(
        label="Do you have a conflict of interest in this proposal?",
        choices=[
            (Conflict.NONE.value, "No, I have no conflict of interest"),
            (Conflict.CONFLICT.value, "Yes, I have a conflict of interest"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether you have a conflict of interest",
            "invalid_choice": "Select whether you have a conflict of interest",
        },
    )
    details = forms.CharField(
        label="Details of the conflict",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example a role with the applicant, or a close relationship.",
        error_messages={"max_length": "Details must be 2,000 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("conflict") == Conflict.CONFLICT and not data.get("details", "").strip():
            self.add_error("details", "Describe your conflict of interest")
        return data


class ScoresForm(GovukForm):
    """One whole-number score (0..max) and an optional comment for each of the fund's criteria."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        self.criteria = criteria
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            name = criterion.name
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{name} score (0 to {criterion.max_score})",
                min_value=0,
                max_value=criterion.max_score,
                help_text=criterion.guidance,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}
                ),
                error_messages={
                    "required": f"Enter a score for {name}",
                    "invalid": f"{name} score must be a whole number",
                    "min_value": f"{name} score must be between 0 and {criterion.max_score}",
                    "max_value": f"{name} score must be between 0 and {criterion.max_score}",
                },
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"{name} comment",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": f"{name} comment must be 2,000 characters or fewer"},
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (Decision.APPROVED.value, "Approve"),
            (Decision.DECLINED.value, "Decline"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select approve or decline",
            "invalid_choice": "Select approve or decline",
        },
    )
    amount = _money_field("Amount approved", required=False)
    reasons = forms.CharField(
        label="Reasons for the decision",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the reasons for the decision",
            "max_length": "Reasons must be 4,000 characters or fewer",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        approving = data.get("decision") == Decision.APPROVED
        if approving and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "Enter the amount approved")
        if data.get("decision") == Decision.DECLINED:
            data["amount"] = None
        return data


class SpendForm(OnceOnlyFormMixin, GovukForm):
    spent_on = GovukDateField(label="Date of spend")
    amount = _money_field("Amount")
    category = forms.ChoiceField(
        label="Category",
        choices=[("", "Choose a category"), *SpendCategory.choices],
        error_messages={
            "required": "Select a category of spend",
            "invalid_choice": "Select a category of spend",
        },
    )
    description = forms.CharField(
        label="Description",
        max_length=300,
        error_messages={
            "required": "Enter a description of the spend",
            "max_length": "Description must be 300 characters or fewer",
        },
    )


class MilestoneCompleteForm(GovukForm):
    completed_on = GovukDateField(label="Date completed")
