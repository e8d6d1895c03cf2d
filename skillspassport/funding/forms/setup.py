"""Forms for declarations, scores, decisions, spend and milestones, with GOV.UK-style messages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from skillspassport.accounts.models import Organisation, User
from skillspassport.core.forms import (
    GovukDateField,
    GovukForm,
    ModelMultipleChoiceField,
    OnceOnlyFormMixin,
    style_widget,
)
from skillspassport.funding.models import Conflict, Criterion, Decision, SpendCategory
from skillspassport.funding.outputs import measure_choices
from skillspassport.funding.services import CriterionSpec, MilestoneSpec
from skillspassport.targeting.models import TargetingPlan

MAX_MONEY = Decimal("9999999999.99")


class MoneyField(forms.DecimalField):
    """Pounds and pence; accepts a leading £ and thousands separators ("£12,500.00")."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "")
        return super().to_python(value)


def _money_field(
    label: str, *, required: bool = True, minimum: Decimal = Decimal("0.01")
) -> forms.DecimalField:
    return MoneyField(
        label=f"{label} (£)",
        required=required,
        min_value=minimum,
        max_value=MAX_MONEY,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"{label} must be an amount of money, like 250 or 250.50",
            "min_value": f"{label} must be more than £0"
            if minimum > 0
            else f"{label} cannot be negative",
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


class ProposalForm(GovukForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter the title of the proposal",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    applicant_organisation = forms.ModelChoiceField(
        label="Applicant organisation",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not an organisation in this service",
        error_messages={"invalid_choice": "Select an applicant organisation from the list"},
    )
    applicant_name = forms.CharField(
        label="Or the applicant's name",
        max_length=200,
        required=False,
        help_text="For an applicant that is not an organisation in this service.",
        error_messages={"max_length": "Applicant's name must be 200 characters or fewer"},
    )
    summary = forms.CharField(
        label="Summary",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": "Enter a summary of the proposal",
            "max_length": "Summary must be 5,000 characters or fewer",
        },
    )
    amount_requested = _money_field("Amount requested")
    submitted_on = GovukDateField(label="Date submitted")
    target_outputs = forms.CharField(
        label="Target outputs offered",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Target outputs must be 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applicant_organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_org = data.get("applicant_organisation") is not None
        has_name = bool(data.get("applicant_name", "").strip())
        if not has_org and not has_name and "applicant_name" not in self.errors:
            self.add_error(
                "applicant_organisation", "Select the applicant organisation or enter a name"
            )
        return data


class AssessorForm(GovukForm):
    assessor = forms.ModelChoiceField(
        label="Assessor",
        queryset=User.objects.none(),
        empty_label="Choose an assessor",
        error_messages={
            "required": "Select an assessor",
            "invalid_choice": "Select an assessor from the list",
        },
    )

    def __init__(self, *args: Any, assessors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = assessors  # type: ignore[attr-defined]


class ProjectForm(GovukForm):
    name = forms.CharField(
        label="Project name",
        max_length=200,
        error_messages={
            "required": "Enter the project name",
            "max_length": "Project name must be 200 characters or fewer",
        },
    )
    lead_organisation = forms.ModelChoiceField(
        label="Lead organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose the lead organisation",
        error_messages={
            "required": "Select the lead organisation",
            "invalid_choice": "Select the lead organisation from the list",
        },
    )
    delivery_organisations = ModelMultipleChoiceField(
        label="Delivery organisations",
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Outputs count the records of these organisations.",
        error_messages={
            "required": "Select at least one delivery organisation",
            "invalid_choice": "Select delivery organisations from the list",
            "invalid_pk_value": "Select delivery organisations from the list",
        },
    )
    budget = _money_field("Budget")
    starts_on = GovukDateField(label="Start date", past_only=False, earliest=date(2000, 1, 1))
    ends_on = GovukDateField(label="End date", past_only=False, earliest=date(2000, 1, 1))
    targeting_plan = forms.ModelChoiceField(
        label="Targeting plan (optional)",
        queryset=TargetingPlan.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Select a targeting plan from the list"},
    )

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        plans: QuerySet[TargetingPlan],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["delivery_organisations"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["targeting_plan"].queryset = plans  # type: ignore[attr-defined]
        for code, label in measure_choices():
            self.fields[f"target_{code}"] = forms.IntegerField(
                label=f"Target: {label.lower()}",
                required=False,
                min_value=1,
                max_value=1_000_000,
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-5"}
                ),
                error_messages={
                    "invalid": f"Target for {label.lower()} must be a whole number",
                    "min_value": f"Target for {label.lower()} must be 1 or more, or left blank",
                    "max_value": f"Target for {label.lower()} must be 1,000,000 or fewer",
                },
            )
        style_widget(self.fields["delivery_organisations"].widget)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "End date must be the same as or after the start date")
        return data

    def targets(self) -> dict[str, int]:
        return {
            code: self.cleaned_data[f"target_{code}"]
            for code, _label in measure_choices()
            if self.cleaned_data.get(f"target_{code}")
        }


CRITERION_ROWS = 6
MILESTONE_ROWS = 6


class FundForm(GovukForm):
    """A fund and up to six weighted criteria (blank rows are ignored)."""

    council = forms.ModelChoiceField(
        label="Council",
        queryset=Organisation.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Select the council",
            "invalid_choice": "Select a council from the list",
        },
    )
    name = forms.CharField(
        label="Fund name",
        max_length=200,
        error_messages={
            "required": "Enter the fund name",
            "max_length": "Fund name must be 200 characters or fewer",
        },
    )
    funder = forms.CharField(
        label="Funder",
        max_length=200,
        error_messages={
            "required": "Enter the funder",
            "max_length": "Funder must be 200 characters or fewer",
        },
    )
    total_budget = _money_field("Total budget")
    opens_on = GovukDateField(label="Opening date", past_only=False, earliest=date(2000, 1, 1))
    closes_on = GovukDateField(label="Closing date", past_only=False, earliest=date(2000, 1, 1))

    def __init__(self, *args: Any, councils: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils  # type: ignore[attr-defined]
        for n in range(1, CRITERION_ROWS + 1):
            self.fields[f"c{n}_name"] = forms.CharField(
                label=f"Criterion {n} name",
                required=False,
                max_length=150,
                error_messages={
                    "max_length": f"Criterion {n} name must be 150 characters or fewer"
                },
            )
            self.fields[f"c{n}_guidance"] = forms.CharField(
                label=f"Criterion {n} guidance for assessors",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": f"Criterion {n} guidance must be 2,000 characters or fewer"
                },
            )
            for part, label, top in (("weight", "weight", 1000), ("max", "maximum score", 100)):
                self.fields[f"c{n}_{part}"] = forms.IntegerField(
                    label=f"Criterion {n} {label}",
                    required=False,
                    min_value=1,
                    max_value=top,
                    widget=forms.TextInput(
                        attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}
                    ),
                    error_messages={
                        "invalid": f"Criterion {n} {label} must be a whole number",
                        "min_value": f"Criterion {n} {label} must be 1 or more",
                        "max_value": f"Criterion {n} {label} must be {top} or less",
                    },
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error(
                "closes_on", "Closing date must be the same as or after the opening date"
            )
        rows = 0
        for n in range(1, CRITERION_ROWS + 1):
            name = (data.get(f"c{n}_name") or "").strip()
            weight, top = data.get(f"c{n}_weight"), data.get(f"c{n}_max")
            if not name and weight is None and top is None:
                continue
            rows += 1
            if not name:
                self.add_error(f"c{n}_name", f"Enter criterion {n} name")
            if weight is None and f"c{n}_weight" not in self.errors:
                self.add_error(f"c{n}_weight", f"Enter criterion {n} weight")
            if top is None and f"c{n}_max" not in self.errors:
                self.add_error(f"c{n}_max", f"Enter criterion {n} maximum score")
        if rows == 0:
            self.add_error("c1_name", "Enter at least one appraisal criterion")
        return data

    def fund_fields(self) -> list[forms.BoundField]:
        prefixes = tuple(f"c{n}_" for n in range(1, CRITERION_ROWS + 1))
        return [f for f in self.visible_fields() if not f.name.startswith(prefixes)]

    def criterion_fields(self) -> list[forms.BoundField]:
        prefixes = tuple(f"c{n}_" for n in range(1, CRITERION_ROWS + 1))
        return [f for f in self.visible_fields() if f.name.startswith(prefixes)]

    def criteria(self) -> list[CriterionSpec]:
        specs = []
        for n in range(1, CRITERION_ROWS + 1):
            name = (self.cleaned_data.get(f"c{n}_name") or "").strip()
            if name:
                specs.append(
                    CriterionSpec(
                        name,
                        self.cleaned_data[f"c{n}_weight"],
                        self.cleaned_data[f"c{n}_max"],
                        self.cleaned_data[f"c{n}_guidance"].strip(),
                    )
                )
        return specs


class AgreementForm(GovukForm):
    """The signed agreement and up to six milestones (blank rows are ignored)."""

    reference = forms.CharField(
        label="Agreement reference (optional)",
        required=False,
        max_length=60,
        error_messages={"max_length": "Reference must be 60 characters or fewer"},
    )
    signed_on = GovukDateField(label="Date signed")
    value = _money_field("Agreement value")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, MILESTONE_ROWS + 1):
            self.fields[f"m{n}_description"] = forms.CharField(
                label=f"Milestone {n}",
                required=False,
                max_length=300,
                error_messages={"max_length": f"Milestone {n} must be 300 characters or fewer"},
            )
            self.fields[f"m{n}_due_on"] = GovukDateField(
                label=f"Milestone {n} due date",
                required=False,
                past_only=False,
                earliest=date(2000, 1, 1),
            )
            field = _money_field(f"Milestone {n} payment", required=False, minimum=Decimal(0))
            self.fields[f"m{n}_payment"] = field

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
