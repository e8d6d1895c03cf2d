"""Casework forms. Each gives GOV.UK-style messages that name the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from skillspassport.accounts.models import Organisation, User
from skillspassport.core.forms import (
    GovukDateField,
    GovukForm,
    choice_field,
    model_choice_field,
    money_field,
    number_field,
    text_field,
    whole_number_field,
)
from skillspassport.employers.models import ContractType, SustainmentOutcome
from skillspassport.support.models import (
    CaseOutcome,
    DeviceArrangement,
    DeviceKind,
    GoalStatus,
    PlacementOutcome,
    ReferralSource,
    SpendCategory,
)

MAX_RECEIPT_BYTES = 5 * 1024 * 1024
RECEIPT_TYPES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def receipt_type_of(head: bytes) -> str | None:
    """The receipt's type from its first bytes (PDF, JPEG or PNG), or None."""
    for magic, content_type in RECEIPT_TYPES:
        if head.startswith(magic):
            return content_type
    return None


class TodayOrEarlierDateField(GovukDateField):
    """A date that may be today but not later: "<Label> must be today or in the past"."""

    def clean(self, value: Any) -> Any:
        try:
            return super().clean(value)
        except forms.ValidationError as exc:
            if exc.code == "future":
                raise forms.ValidationError(
                    f"{self.label_text} must be today or in the past", code="future"
                ) from exc
            raise


def _employer_field() -> forms.ModelChoiceField:
    return model_choice_field(
        "Scheme employer",
        Organisation.objects.none(),
        required=False,
        select="a scheme employer",
        empty_label="Not a scheme employer",
    )


def _employer_name_field() -> forms.CharField:
    return text_field(
        "Employer name", 200, required=False, help_text="If the employer is not in the list"
    )


def _hours_field(maximum: int, example: str) -> forms.Field:
    return number_field(
        "Hours per week",
        minimum=Decimal("0.5"),
        maximum=Decimal(maximum),
        decimal_places=1,
        example=example,
        width=3,
    )


def _require_employer(form: forms.Form, cleaned: dict[str, Any]) -> None:
    named = cleaned.get("employer") or cleaned.get("employer_name")
    if not named and "employer_name" not in form.errors and "employer" not in form.errors:
        form.add_error("employer_name", "Select a scheme employer or enter the employer name")


class OpenCaseForm(GovukForm):
    referral_source = choice_field("Referral source", ReferralSource.choices)
    referring_organisation = text_field(
        "Referring organisation", 200, help_text="For example, Bootle Jobcentre"
    )
    referral_contact = text_field(
        "Contact at the referring organisation", 200, required=False, help_text="Optional"
    )
    referred_on = GovukDateField(label="Referral date", help_text="For example, 27 3 2026")
    opened_on = GovukDateField(label="Date the case opens")
    next_review_on = GovukDateField(
        label="First review date", past_only=False, required=False, help_text="Optional"
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        referred, opened = cleaned.get("referred_on"), cleaned.get("opened_on")
        if referred and opened and opened < referred:
            self.add_error("opened_on", "Date the case opens must be on or after the referral date")
        review = cleaned.get("next_review_on")
        if review and opened and review < opened:
            self.add_error("next_review_on", "First review date must be on or after the case opens")
        return cleaned


class CaseUpdateForm(GovukForm):
    adviser = model_choice_field(
        "Adviser", User.objects.none(), select="an adviser", empty_label=None
    )
    next_review_on = GovukDateField(
        label="Next review date", past_only=False, required=False, help_text="Leave blank for none"
    )

    def __init__(self, *args: Any, advisers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = advisers  # type: ignore[attr-defined]


class GoalForm(GovukForm):
    text = text_field("Goal", 500, widget=forms.Textarea(attrs={"rows": 3}))
    target_on = GovukDateField(label="Target date", past_only=False)


class GoalEditForm(GoalForm):
    status = choice_field("Status", GoalStatus.choices, select="the goal status")


class GoalStatusForm(GovukForm):
    status = choice_field("Goal status", GoalStatus.choices, radio=False)


class NoteForm(GovukForm):
    text = text_field("Note", 5000, widget=forms.Textarea(attrs={"rows": 5}))


class CloseCaseForm(GovukForm):
    outcome = choice_field("Outcome", CaseOutcome.choices)
    closed_on = GovukDateField(label="Date closed")


class SpendForm(GovukForm):
    category = choice_field("Category", SpendCategory.choices)
    amount = money_field("Amount", maximum=Decimal("10000.00"), help_text="In pounds")
    description = text_field("Description", 300, help_text="What it pays for")
    spent_on = TodayOrEarlierDateField(
        label="Date of the spend", help_text="Today or earlier, for example 27 3 2026"
    )
    receipt = forms.FileField(
        label="Receipt",
        required=False,
        help_text="Optional. A PDF, JPEG or PNG file, 5 MB or smaller.",
        error_messages={"invalid": "The receipt must be a file", "empty": "The receipt is empty"},
    )

    def clean_receipt(self) -> Any:
        upload = self.cleaned_data.get("receipt")
        if not upload:
            return None
        if upload.size > MAX_RECEIPT_BYTES:
            raise forms.ValidationError("The receipt must be 5 MB or smaller")
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        content_type = receipt_type_of(head)
        if content_type is None:
            raise forms.ValidationError("The receipt must be a PDF, JPEG or PNG file")
        self.cleaned_data["receipt_type"] = content_type
        return upload


class DecisionForm(GovukForm):
    decision = choice_field(
        "Decision", [("approve", "Approve the spend"), ("refuse", "Refuse the spend")]
    )
    note = text_field("Reason", 500, required=False, help_text="Needed when you refuse")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("decision") == "refuse"
            and not cleaned.get("note")
            and "note" not in self.errors
        ):
            self.add_error("note", "Enter the reason for refusing the spend")
        return cleaned


class PolicyForm(GovukForm):
    cap = money_field("Cap per person", maximum=Decimal("100000.00"))
    approval_threshold = money_field(
        "Approval threshold", maximum=Decimal("100000.00"), minimum=Decimal(0)
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cap, threshold = cleaned.get("cap"), cleaned.get("approval_threshold")
        if cap is not None and threshold is not None and threshold > cap:
            self.add_error("approval_threshold", "Approval threshold must not be more than the cap")
        return cleaned


class DeviceForm(GovukForm):
    hub = model_choice_field(
        "Hub or organisation that issued it",
        Organisation.objects.none(),
        select="a hub or organisation",
    )
    kind = choice_field("Type", DeviceKind.choices)
    serial = text_field("Serial number or ICCID", 40)
    issued_on = GovukDateField(label="Date issued")
    arrangement = choice_field("Lent or gifted", DeviceArrangement.choices)
    due_back_on = GovukDateField(
        label="Due back", past_only=False, required=False, help_text="For a lent device"
    )
    condition = text_field("Condition", 200, required=False, help_text="Optional")

    def __init__(self, *args: Any, hubs: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hub"].queryset = hubs  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        issued, due = cleaned.get("issued_on"), cleaned.get("due_back_on")
        if (
            cleaned.get("arrangement") == DeviceArrangement.LENT
            and not due
            and not self.errors.get("due_back_on")
        ):
            self.add_error("due_back_on", "Enter the date a lent device is due back")
        if issued and due and due <= issued:
            self.add_error("due_back_on", "Due back must be after the date issued")
        return cleaned


class DeviceReturnForm(GovukForm):
    returned_on = GovukDateField(label="Date returned")
    condition = text_field("Condition", 200, required=False, help_text="Optional")


class PlacementForm(GovukForm):
    employer = _employer_field()
    employer_name = _employer_name_field()
    role_title = text_field("Role", 150)
    weeks = whole_number_field("Number of weeks", minimum=1, maximum=52, example="8")
    hours_per_week = _hours_field(48, "16")
    hourly_wage = money_field("Hourly wage", maximum=Decimal("1000.00"))
    starts_on = GovukDateField(label="Start date", past_only=False)
    ends_on = GovukDateField(label="End date", past_only=False)
    outcome = choice_field("Outcome", PlacementOutcome.choices)

    def __init__(self, *args: Any, employers: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require_employer(self, cleaned)
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends <= starts:
            self.add_error("ends_on", "End date must be after the start date")
        return cleaned


class PlacementOutcomeForm(GovukForm):
    outcome = choice_field("Outcome", PlacementOutcome.choices)


class JobStartForm(GovukForm):
    employer = _employer_field()
    employer_name = _employer_name_field()
    role_title = text_field("Job title", 150)
    contract = choice_field("Contract", ContractType.choices)
    started_on = GovukDateField(label="Start date")
    hours_per_week = _hours_field(80, "30")
    hourly_wage = money_field(
        "Hourly wage", maximum=Decimal("1000.00"), required=False, help_text="Optional"
    )
    is_tech_role = forms.BooleanField(label="This is a digital or tech role", required=False)

    def __init__(self, *args: Any, employers: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("employer") and cleaned.get("employer_name"):
            self.add_error(
                "employer_name",
                "Select a scheme employer or enter the employer name, not both",
            )
        _require_employer(self, cleaned)
        return cleaned


class SustainmentForm(GovukForm):
    outcome = choice_field(
        "Result of the check", [(o.value, o.label) for o in SustainmentOutcome if o.value]
    )
    checked_on = GovukDateField(label="Date checked")
    note = text_field("Note", 300, required=False, help_text="Optional")
