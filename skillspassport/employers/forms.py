"""Forms for employers, the compact, roles, opportunities, referrals and outcomes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from skillspassport.core.forms import GovukDateField, GovukForm
from skillspassport.employers.models import (
    LEVEL_CHOICES,
    STRANDS,
    ContractType,
    OpportunityType,
    SicSection,
    SizeBand,
    SustainmentOutcome,
)

LEVEL_OR_NONE = [("", "No minimum"), *LEVEL_CHOICES]
ADVERT_LIMIT_BYTES = 100_000


def _required(what: str) -> dict[str, str]:
    return {"required": f"Enter {what}"}


def _date_field(label: str, what: str, *, past_only: bool = False) -> GovukDateField:
    return GovukDateField(
        label=label,
        past_only=past_only,
        earliest=date(2000, 1, 1),
        help_text="For example, 27 3 2026",
    )


def _money(label: str, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal("0"),
        max_value=Decimal("9999.99"),
        decimal_places=2,
        max_digits=6,
        error_messages={
            "invalid": f"{label} must be an amount of money, like 12.21",
            "min_value": f"{label} cannot be negative",
            "max_value": f"{label} must be £9,999.99 or less",
            "max_decimal_places": f"{label} can have no more than 2 decimal places (pence)",
            "max_digits": f"{label} must be £9,999.99 or less",
            "required": f"Enter {label.lower()}",
        },
    )


class EmployerForm(GovukForm):
    name = forms.CharField(
        label="Employer name", max_length=200, error_messages=_required("the employer's name")
    )
    sector = forms.ChoiceField(
        label="Sector (SIC 2007 section)",
        choices=[("", "Choose a sector"), *SicSection.choices],
        error_messages={"required": "Choose the employer's sector"},
    )
    size_band = forms.ChoiceField(
        label="Size",
        choices=SizeBand.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the employer's size"},
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={"invalid": "Enter the website address, like https://example.co.uk"},
    )


class SiteForm(GovukForm):
    name = forms.CharField(
        label="Site name", max_length=120, error_messages=_required("a name for the site")
    )
    postcode = forms.CharField(
        label="Postcode", max_length=10, error_messages=_required("the site's postcode")
    )


class PledgeForm(GovukForm):
    level = forms.ChoiceField(
        label="Passport level",
        choices=LEVEL_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the passport level this pledge is for"},
    )
    opportunity_type = forms.ChoiceField(
        label="What the level unlocks",
        choices=OpportunityType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the level unlocks"},
    )
    quantity_per_year = forms.IntegerField(
        label="How many a year",
        min_value=1,
        max_value=10_000,
        error_messages={
            "required": "Enter how many a year",
            "invalid": "How many a year must be a whole number, like 6",
            "min_value": "Pledge at least 1 a year",
            "max_value": "Pledge 10,000 a year or fewer",
        },
    )
    starts_on = _date_field("Start date", "the start date")
    ends_on = _date_field("End date", "the end date")
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return data


class AdvertForm(GovukForm):
    """Step one of describing a role: its title and, optionally, the advert's text."""

    title = forms.CharField(
        label="Role title", max_length=150, error_messages=_required("the role title")
    )
    is_tech_role = forms.BooleanField(label="This is a digital or technology role", required=False)
    advert_text = forms.CharField(
        label="Job advert (optional)",
        help_text="Paste the advert's text to get suggested skills. You confirm each one.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
    )


class RoleSkillsForm(GovukForm):
    """Step two: confirm or remove each suggested skill, and choose framework areas."""

    def __init__(
        self,
        *args: Any,
        esco_choices: list[tuple[str, str]],
        area_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["esco"] = forms.MultipleChoiceField(
            label="Skills from the advert",
            help_text="Untick any that the role does not need.",
            choices=esco_choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )
        self.fields["areas"] = forms.MultipleChoiceField(
            label="Passport skill areas the role needs",
            choices=area_choices,
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("esco") and not data.get("areas"):
            raise forms.ValidationError("Choose at least one skill or skill area the role needs")
        return data


class OpportunityForm(GovukForm):
    title = forms.CharField(label="Title", max_length=150, error_messages=_required("a title"))
    opportunity_type = forms.ChoiceField(
        label="Type",
        choices=OpportunityType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of opportunity"},
    )
    role = forms.ChoiceField(label="Role (optional)", required=False, choices=[])
    pledge = forms.ChoiceField(
        label="Compact pledge it fulfils (optional)", required=False, choices=[]
    )
    site = forms.ChoiceField(label="Location (optional)", required=False, choices=[])
    places = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=1000,
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Places must be a whole number, like 3",
            "min_value": "An opportunity needs at least 1 place",
            "max_value": "Places must be 1,000 or fewer",
        },
    )
    closing_on = _date_field("Closing date", "the closing date")
    hours_per_week = forms.DecimalField(
        label="Hours a week (optional)",
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("80"),
        decimal_places=1,
        max_digits=4,
        error_messages={
            "invalid": "Hours a week must be a number, like 16 or 37.5",
            "min_value": "Hours a week must be at least 0.5",
            "max_value": "Hours a week must be 80 or fewer",
            "max_decimal_places": "Hours a week can have 1 decimal place at most",
        },
    )
    hourly_wage = _money("Hourly wage (optional)")
    description = forms.CharField(
        label="Description (optional)",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        roles: list[tuple[str, str]],
        pledges: list[tuple[str, str]],
        sites: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "No role"), *roles]  # type: ignore[attr-defined]
        self.fields["pledge"].choices = [("", "None"), *pledges]  # type: ignore[attr-defined]
        self.fields["site"].choices = [("", "Not given"), *sites]  # type: ignore[attr-defined]
        for strand in STRANDS:
            self.fields[f"min_{strand}"] = forms.ChoiceField(
                label=f"Minimum {strand} level",
                choices=LEVEL_OR_NONE,
                required=False,
            )

    def clean_closing_on(self) -> date:
        closing: date = self.cleaned_data["closing_on"]
        if closing < timezone.localdate():
            raise forms.ValidationError("The closing date must be today or in the future")
        return closing

    def minimum(self) -> dict[str, str]:
        return {s: self.cleaned_data.get(f"min_{s}") or "" for s in STRANDS}


class ReferForm(GovukForm):
    resident = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="Note for the employer (optional)",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProgressForm(GovukForm):
    stage = forms.ChoiceField(
        label="What happened",
        choices=[
            ("interviewed", "Interviewed"),
            ("offered", "Offered the job or place"),
            ("started", "Started"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what happened"},
    )
    on = _date_field("Date", "the date", past_only=True)
    hours_per_week = forms.DecimalField(
        label="Hours a week (for a start)",
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal("80"),
        decimal_places=1,
        max_digits=4,
        error_messages={
            "invalid": "Hours a week must be a number, like 16 or 37.5",
            "min_value": "Hours a week must be at least 0.5",
            "max_value": "Hours a week must be 80 or fewer",
            "max_decimal_places": "Hours a week can have 1 decimal place at most",
        },
    )
    hourly_wage = _money("Hourly wage (for a start, optional)")
    contract = forms.ChoiceField(
        label="Contract (for a start)", choices=ContractType.choices, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("stage") == "started" and data.get("hours_per_week") is None:
            self.add_error("hours_per_week", "Enter the hours a week for a start")
        return data


class WithdrawForm(GovukForm):
    reason = forms.CharField(
        label="Why is the referral withdrawn?",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Say why the referral is withdrawn",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )


class SustainmentForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Result",
        choices=[(o.value, o.label) for o in SustainmentOutcome if o.value],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the result of the check"},
    )
    checked_on = _date_field("Date checked", "the date checked", past_only=True)
    note = forms.CharField(label="Note (optional)", max_length=300, required=False)
