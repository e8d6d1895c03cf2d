"""Forms for appraising a proposal: declaring a conflict, scoring, and deciding."""

from __future__ import annotations

from typing import Any

from skillspassport.core.forms import (
    GovukForm,
    choice_field,
    money_field,
    style_widget,
    text_field,
    whole_number_field,
)
from skillspassport.funding.models import Conflict, Criterion, Decision

CONFLICT_MISSING = "Select whether you have a conflict of interest"
DECISION_MISSING = "Select approve or decline"


class DeclarationForm(GovukForm):
    conflict = choice_field(
        "Do you have a conflict of interest in this proposal?",
        [
            (Conflict.NONE.value, "No, I have no conflict of interest"),
            (Conflict.CONFLICT.value, "Yes, I have a conflict of interest"),
        ],
        error_messages={"required": CONFLICT_MISSING, "invalid_choice": CONFLICT_MISSING},
    )
    details = text_field(
        "Details of the conflict",
        2000,
        required=False,
        rows=3,
        name="Details",
        help_text="For example a role with the applicant, or a close relationship.",
    )

    reason = text_field(
        "Why has your declaration changed?",
        2000,
        required=False,
        rows=2,
        name="Reason",
        help_text="Your earlier declaration stays on the record beside the new one.",
    )

    def __init__(self, *args: Any, changing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.changing = changing
        if not changing:
            del self.fields["reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("conflict") == Conflict.CONFLICT and not data.get("details", "").strip():
            self.add_error("details", "Describe your conflict of interest")
        data.setdefault("reason", "")
        return data


class ScoresForm(GovukForm):
    """One whole-number score (0..max) and an optional comment for each of the fund's criteria."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        self.criteria = criteria
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            name, top = criterion.name, criterion.max_score
            # The range is the point of a score, so both limits give it (as the service does).
            between = f"{name} score must be between 0 and {top}"
            self.fields[f"score_{criterion.pk}"] = whole_number_field(
                f"{name} score (0 to {top})",
                minimum=0,
                maximum=top,
                enter=f"a score for {name}",
                help_text=criterion.guidance,
                error_messages={"min_value": between, "max_value": between},
            )
            self.fields[f"comment_{criterion.pk}"] = text_field(
                f"{name} comment", 2000, required=False, rows=2
            )
        for field in self.fields.values():
            style_widget(field.widget)

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"comment_{c.pk}"])
            for c in self.criteria
        }


class DecisionForm(GovukForm):
    decision = choice_field(
        "Decision",
        [
            (Decision.APPROVED.value, "Approve"),
            (Decision.DECLINED.value, "Decline"),
        ],
        error_messages={"required": DECISION_MISSING, "invalid_choice": DECISION_MISSING},
    )
    amount = money_field("Amount approved (£)", required=False)
    reasons = text_field(
        "Reasons for the decision",
        4000,
        rows=4,
        name="Reasons",
        enter="the reasons for the decision",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        approving = data.get("decision") == Decision.APPROVED
        if approving and data.get("amount") is None and "amount" not in self.errors:
            self.add_error("amount", "Enter the amount approved")
        if data.get("decision") == Decision.DECLINED:
            data["amount"] = None
        return data


class ReasonForm(GovukForm):
    """The reasons for confirming an approval, or for reversing a decision."""

    reasons = text_field("Reasons", 4000, rows=3, name="Reasons", enter="the reasons")
