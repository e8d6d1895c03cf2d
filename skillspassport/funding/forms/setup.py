"""Forms for setting up funds, proposals, assessors and projects."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from skillspassport.accounts.models import Organisation, User
from skillspassport.core.forms import (
    GovukDateField,
    GovukForm,
    ModelMultipleChoiceField,
    date_field,
    model_choice_field,
    money_field,
    style_widget,
    text_field,
    whole_number_field,
)
from skillspassport.funding.outputs import measure_choices
from skillspassport.funding.services import CriterionSpec
from skillspassport.targeting.models import TargetingPlan

CRITERION_ROWS = 6


class ProposalForm(GovukForm):
    title = text_field("Title", 200, enter="the title of the proposal")
    applicant_organisation = model_choice_field(
        "Applicant organisation",
        Organisation.objects.none(),
        required=False,
        select="an applicant organisation",
        empty_label="Not an organisation in this service",
    )
    applicant_name = text_field(
        "Or the applicant's name",
        200,
        required=False,
        name="Applicant's name",
        help_text="For an applicant that is not an organisation in this service.",
    )
    summary = text_field("Summary", 5000, rows=5, enter="a summary of the proposal")
    amount_requested = money_field("Amount requested (£)")
    submitted_on = GovukDateField(label="Date submitted")
    target_outputs = text_field(
        "Target outputs offered", 2000, required=False, rows=3, name="Target outputs"
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
    assessor = model_choice_field(
        "Assessor", User.objects.none(), select="an assessor", empty_label="Choose an assessor"
    )

    def __init__(self, *args: Any, assessors: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assessor"].queryset = assessors  # type: ignore[attr-defined]


class ProjectForm(GovukForm):
    name = text_field("Project name", 200)
    lead_organisation = model_choice_field(
        "Lead organisation",
        Organisation.objects.none(),
        empty_label="Choose the lead organisation",
    )
    delivery_organisations = model_choice_field(
        "Delivery organisations",
        Organisation.objects.none(),
        select="delivery organisations",
        field_class=ModelMultipleChoiceField,
        widget=forms.CheckboxSelectMultiple,
        help_text="Outputs count the records of these organisations.",
        error_messages={"required": "Select at least one delivery organisation"},
    )
    budget = money_field("Budget (£)")
    starts_on = date_field("Start date")
    ends_on = date_field("End date")
    targeting_plan = model_choice_field(
        "Targeting plan (optional)",
        TargetingPlan.objects.none(),
        required=False,
        select="a targeting plan",
        empty_label="None",
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
            name = f"Target for {label.lower()}"
            self.fields[f"target_{code}"] = whole_number_field(
                f"Target: {label.lower()}",
                required=False,
                minimum=1,
                maximum=1_000_000,
                name=name,
                width=5,
                error_messages={"min_value": f"{name} must be 1 or more, or left blank"},
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


class FundForm(GovukForm):
    """A fund and up to six weighted criteria (blank rows are ignored)."""

    council = model_choice_field(
        "Council", Organisation.objects.none(), select="a council", empty_label=None
    )
    name = text_field("Fund name", 200)
    funder = text_field("Funder", 200)
    total_budget = money_field("Total budget (£)")
    opens_on = date_field("Opening date")
    closes_on = date_field("Closing date")
    min_assessors = whole_number_field(
        "Independent assessors needed before a decision",
        minimum=1,
        maximum=10,
        help_text="Assessors who declare no conflict of interest and score the proposal. "
        "The person who decides is never one of them.",
        initial=2,
        name="Independent assessors",
    )
    approval_limit = money_field(
        "Approval limit (£, optional)",
        required=False,
        help_text="An approval of more than this needs a second approver. Leave blank if one "
        "approver is enough for any amount.",
        name="Approval limit",
    )

    def __init__(self, *args: Any, councils: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils  # type: ignore[attr-defined]
        for n in range(1, CRITERION_ROWS + 1):
            self.fields[f"c{n}_name"] = text_field(f"Criterion {n} name", 150, required=False)
            self.fields[f"c{n}_guidance"] = text_field(
                f"Criterion {n} guidance for assessors",
                2000,
                required=False,
                rows=2,
                name=f"Criterion {n} guidance",
            )
            for part, label, top in (("weight", "weight", 1000), ("max", "maximum score", 100)):
                self.fields[f"c{n}_{part}"] = whole_number_field(
                    f"Criterion {n} {label}", required=False, minimum=1, maximum=top
                )
        for field in self.fields.values():
            style_widget(field.widget)

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
        weights = [data.get(f"c{n}_weight") for n in range(1, CRITERION_ROWS + 1)]
        total = sum(w for w in weights if isinstance(w, int))
        if rows and not self.errors and total != 100:
            self.add_error(
                "c1_weight", f"The criteria's weights must add up to 100; they add up to {total}"
            )
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
