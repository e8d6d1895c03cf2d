"""Casework forms. Each gives GOV.UK-style messages that name the field."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet

from skillspassport.accounts.models import Organisation, User
from skillspassport.core.forms import GovukDateField, GovukForm
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


class MoneyField(forms.CharField):
    """An amount in pounds and pence: positive, at most 2 decimal places, at most `maximum`."""

    def __init__(self, *, label: str, maximum: Decimal, allow_zero: bool = False, **kwargs: Any):
        self.maximum = maximum
        self.allow_zero = allow_zero
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "error_messages",
            {
                "required": f"Enter the {label.lower()}",
                "max_length": f"{label} must be a number of pounds, like 25.50",
            },
        )
        super().__init__(label=label, **kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "class": "govuk-input govuk-input--width-10"}
        )

    def clean(self, value: Any) -> Decimal | None:
        text = super().clean(value)
        if text in ("", None):
            return None
        label = str(self.label)
        cleaned = str(text).strip().removeprefix("£").replace(",", "").strip()
        if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", cleaned):
            raise forms.ValidationError(
                f"{label} must be a number of pounds, like 25.50", code="invalid"
            )
        try:
            amount = Decimal(cleaned)
        except InvalidOperation as exc:
            raise forms.ValidationError(
                f"{label} must be a number of pounds, like 25.50", code="invalid"
            ) from exc
        if not amount.is_finite():
            raise forms.ValidationError(f"{label} must be a number of pounds, like 25.50")
        if amount.as_tuple().exponent < -2:  # type: ignore[operator]
            raise forms.ValidationError(f"{label} must not have more than 2 decimal places (pence)")
        if amount < 0:
            raise forms.ValidationError(f"{label} must not be negative")
        if amount == 0 and not self.allow_zero:
            raise forms.ValidationError(f"{label} must be more than £0.00")
        if amount > self.maximum:
            raise forms.ValidationError(f"{label} must be £{self.maximum:,.2f} or less")
        return amount.quantize(Decimal("0.01"))


def _lower(label: str) -> str:
    """'Serial number or ICCID' -> 'serial number or ICCID' (keeps acronyms)."""
    return label[:1].lower() + label[1:]


def _text(label: str, max_length: int, *, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": f"Enter the {_lower(label)}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
        **kwargs,
    )


def _choice(label: str, choices: Any, *, radio: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect if radio else forms.Select,
        error_messages={
            "required": f"Select the {_lower(label)}",
            "invalid_choice": f"Select the {_lower(label)} from the list",  # noqa: S608
        },
    )


def _employer_field() -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label="Scheme employer",
        queryset=Organisation.objects.none(),
        required=False,
        empty_label="Not a scheme employer",
        error_messages={"invalid_choice": "Select a scheme employer from the list"},
    )


def _employer_name_field() -> forms.CharField:
    return _text(
        "Employer name", 200, required=False, help_text="If the employer is not in the list"
    )


def _require_employer(form: forms.Form, cleaned: dict[str, Any]) -> None:
    named = cleaned.get("employer") or cleaned.get("employer_name")
    if not named and "employer_name" not in form.errors and "employer" not in form.errors:
        form.add_error("employer_name", "Select a scheme employer or enter the employer name")


class OpenCaseForm(GovukForm):
    referral_source = _choice("Referral source", ReferralSource.choices)
    referring_organisation = _text(
        "Referring organisation", 200, help_text="For example, Bootle Jobcentre"
    )
    referral_contact = _text(
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
    adviser = forms.ModelChoiceField(
        label="Adviser",
        queryset=User.objects.none(),
        empty_label=None,
        error_messages={
            "required": "Select the adviser",
            "invalid_choice": "Select an adviser from the list",
        },
    )
    next_review_on = GovukDateField(
        label="Next review date", past_only=False, required=False, help_text="Leave blank for none"
    )

    def __init__(self, *args: Any, advisers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = advisers  # type: ignore[attr-defined]


class GoalForm(GovukForm):
    text = _text("Goal", 500, widget=forms.Textarea(attrs={"rows": 3}))
    target_on = GovukDateField(label="Target date", past_only=False)


class GoalStatusForm(GovukForm):
    status = _choice("Goal status", GoalStatus.choices, radio=False)


class NoteForm(GovukForm):
    text = _text("Note", 5000, widget=forms.Textarea(attrs={"rows": 5}))


class CloseCaseForm(GovukForm):
    outcome = _choice("Outcome", CaseOutcome.choices)
    closed_on = GovukDateField(label="Date closed")


class SpendForm(GovukForm):
    category = _choice("Category", SpendCategory.choices)
    amount = MoneyField(label="Amount", maximum=Decimal("10000.00"), help_text="In pounds")
    description = _text("Description", 300, help_text="What it pays for")
    spent_on = GovukDateField(label="Date of the spend", past_only=False)
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
    decision = _choice(
        "Decision", [("approve", "Approve the spend"), ("refuse", "Refuse the spend")]
    )
    note = _text("Reason", 500, required=False, help_text="Needed when you refuse")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "refuse" and not cleaned.get("note"):
            self.add_error("note", "Enter the reason for refusing the spend")
        return cleaned


class PolicyForm(GovukForm):
    cap = MoneyField(label="Cap per person", maximum=Decimal("100000.00"))
    approval_threshold = MoneyField(
        label="Approval threshold", maximum=Decimal("100000.00"), allow_zero=True
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cap, threshold = cleaned.get("cap"), cleaned.get("approval_threshold")
        if cap is not None and threshold is not None and threshold > cap:
            self.add_error("approval_threshold", "Approval threshold must not be more than the cap")
        return cleaned


class DeviceForm(GovukForm):
    hub = forms.ModelChoiceField(
        label="Hub or organisation that issued it",
        queryset=Organisation.objects.none(),
        error_messages={
            "required": "Select the hub or organisation",
            "invalid_choice": "Select a hub or organisation from the list",
        },
    )
    kind = _choice("Type", DeviceKind.choices)
    serial = _text("Serial number or ICCID", 40)
    issued_on = GovukDateField(label="Date issued")
    arrangement = _choice("Lent or gifted", DeviceArrangement.choices)
    due_back_on = GovukDateField(
        label="Due back", past_only=False, required=False, help_text="For a lent device"
    )
    condition = _text("Condition", 200, required=False, help_text="Optional")

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
    condition = _text("Condition", 200, required=False, help_text="Optional")


class PlacementForm(GovukForm):
    employer = _employer_field()
    employer_name = _employer_name_field()
    role_title = _text("Role", 150)
    weeks = forms.IntegerField(
        label="Number of weeks",
        min_value=1,
        max_value=52,
        error_messages={
            "required": "Enter the number of weeks",
            "invalid": "Number of weeks must be a whole number, like 8",
            "min_value": "Number of weeks must be 1 or more",
            "max_value": "Number of weeks must be 52 or fewer",
        },
    )
    hours_per_week = forms.DecimalField(
        label="Hours per week",
        max_digits=3,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("48"),
        error_messages={
            "required": "Enter the hours per week",
            "invalid": "Hours per week must be a number, like 16",
            "min_value": "Hours per week must be more than 0",
            "max_value": "Hours per week must be 48 or fewer",
            "max_digits": "Hours per week must be 48 or fewer",
            "max_decimal_places": "Hours per week must have no more than 1 decimal place",
            "max_whole_digits": "Hours per week must be 48 or fewer",
        },
    )
    hourly_wage = MoneyField(label="Hourly wage", maximum=Decimal("1000.00"))
    starts_on = GovukDateField(label="Start date", past_only=False)
    ends_on = GovukDateField(label="End date", past_only=False)
    outcome = _choice("Outcome", PlacementOutcome.choices)

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
    outcome = _choice("Outcome", PlacementOutcome.choices)


class JobStartForm(GovukForm):
    employer = _employer_field()
    employer_name = _employer_name_field()
    role_title = _text("Job title", 150)
    contract = _choice("Contract", ContractType.choices)
    started_on = GovukDateField(label="Start date")
    hours_per_week = forms.DecimalField(
        label="Hours per week",
        max_digits=3,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("80"),
        error_messages={
            "required": "Enter the hours per week",
            "invalid": "Hours per week must be a number, like 30",
            "min_value": "Hours per week must be more than 0",
            "max_value": "Hours per week must be 80 or fewer",
            "max_digits": "Hours per week must be 80 or fewer",
            "max_decimal_places": "Hours per week must have no more than 1 decimal place",
            "max_whole_digits": "Hours per week must be 80 or fewer",
        },
    )
    hourly_wage = MoneyField(
        label="Hourly wage", maximum=Decimal("1000.00"), required=False, help_text="Optional"
    )
    is_tech_role = forms.BooleanField(label="This is a digital or tech role", required=False)

    def __init__(self, *args: Any, employers: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        _require_employer(self, cleaned)
        return cleaned


class SustainmentForm(GovukForm):
    outcome = _choice(
        "Result of the check", [(o.value, o.label) for o in SustainmentOutcome if o.value]
    )
    checked_on = GovukDateField(label="Date checked")
    note = _text("Note", 300, required=False, help_text="Optional")
