"""Forms for employers, the compact, roles, opportunities, referrals and outcomes."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from skillspassport.core.forms import (
    GovukForm,
    choice_field,
    date_field,
    money_field,
    number_field,
    style_widget,
    text_field,
    whole_number_field,
)
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
DATE_HINT = "For example, 27 3 2026"


def _hours_field(label: str) -> forms.Field:
    return number_field(
        label,
        required=False,
        minimum=Decimal("0.5"),
        maximum=Decimal(80),
        decimal_places=1,
        example="16 or 37.5",
    )


def _wage_field(label: str) -> forms.Field:
    return money_field(label, required=False, minimum=Decimal(0), maximum=Decimal("9999.99"))


class EmployerForm(GovukForm):
    name = text_field("Employer name", 200, enter="the employer's name")
    sector = choice_field(
        "Sector (SIC 2007 section)",
        [("", "Choose a sector"), *SicSection.choices],
        radio=False,
        select="the employer's sector",
    )
    size_band = choice_field("Size", SizeBand.choices, select="the employer's size")
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        max_length=200,
        assume_scheme="https",
        error_messages={
            "invalid": "Enter the website address, like https://example.co.uk",
            "max_length": "Website must be 200 characters or fewer",
        },
    )


class SiteForm(GovukForm):
    name = text_field("Site name", 120, enter="a name for the site")
    postcode = text_field("Postcode", 10, enter="the site's postcode")


class PledgeForm(GovukForm):
    level = choice_field(
        "Passport level", LEVEL_CHOICES, select="the passport level this pledge is for"
    )
    opportunity_type = choice_field(
        "What the level unlocks", OpportunityType.choices, select="what the level unlocks"
    )
    quantity_per_year = whole_number_field(
        "How many a year", minimum=1, maximum=10_000, enter="how many a year", example="6"
    )
    starts_on = date_field("Start date", help_text=DATE_HINT)
    ends_on = date_field("End date", help_text=DATE_HINT)
    note = text_field("Note (optional)", 300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return data


class AdvertForm(GovukForm):
    """Step one of describing a role: its title and, optionally, the advert's text."""

    title = text_field("Role title", 150)
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
    title = text_field("Title", 150, enter="a title")
    opportunity_type = choice_field(
        "Type", OpportunityType.choices, select="the type of opportunity"
    )
    role = choice_field("Role (optional)", [], radio=False, required=False)
    pledge = choice_field(
        "Compact pledge it fulfils (optional)",
        [],
        radio=False,
        required=False,
        name="Compact pledge",
    )
    site = choice_field("Location (optional)", [], radio=False, required=False)
    places = whole_number_field(
        "Places", minimum=1, maximum=1000, enter="the number of places", example="3"
    )
    closing_on = date_field("Closing date", help_text=DATE_HINT)
    hours_per_week = _hours_field("Hours a week (optional)")
    hourly_wage = _wage_field("Hourly wage (optional)")
    description = text_field("Description (optional)", 4000, required=False, rows=4)

    def __init__(
        self,
        *args: Any,
        roles: list[tuple[str, str]],
        pledges: list[tuple[str, str]],
        sites: list[tuple[str, str]],
        current_closing_on: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.current_closing_on = current_closing_on
        self.fields["role"].choices = [("", "No role"), *roles]  # type: ignore[attr-defined]
        self.fields["pledge"].choices = [("", "None"), *pledges]  # type: ignore[attr-defined]
        self.fields["site"].choices = [("", "Not given"), *sites]  # type: ignore[attr-defined]
        for strand in STRANDS:
            self.fields[f"min_{strand}"] = choice_field(
                f"Minimum {strand} level", LEVEL_OR_NONE, radio=False, required=False
            )
            style_widget(self.fields[f"min_{strand}"].widget)

    def clean_closing_on(self) -> date:
        """Today or later; when changing an opportunity, its closing date may stay as it was."""
        closing: date = self.cleaned_data["closing_on"]
        if closing < timezone.localdate() and closing != self.current_closing_on:
            raise forms.ValidationError("The closing date must be today or in the future")
        return closing

    def minimum(self) -> dict[str, str]:
        return {s: self.cleaned_data.get(f"min_{s}") or "" for s in STRANDS}


class CloseEarlyForm(GovukForm):
    on = date_field(
        "Date it closes",
        help_text=f"No referrals from this day on. It can be today or a day already past. "
        f"{DATE_HINT}",
    )


class RoleForm(GovukForm):
    """Editing a role: its title, whether it is a digital role, and the skill areas it needs."""

    title = text_field("Role title", 150)
    is_tech_role = forms.BooleanField(label="This is a digital or technology role", required=False)

    def __init__(self, *args: Any, area_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"] = forms.MultipleChoiceField(
            label="Passport skill areas the role needs",
            choices=area_choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "required": "Choose at least one skill area the role needs",
                "invalid_choice": "Choose skill areas from the list",
            },
        )


class ReferForm(GovukForm):
    resident = forms.UUIDField(widget=forms.HiddenInput)
    note = text_field("Note for the employer (optional)", 500, required=False, rows=2, name="Note")


STAGE_CHOICES = [
    ("interview_booked", "Interview booked"),
    ("interviewed", "Interviewed"),
    ("offered", "Offered the job or place"),
    ("started", "Started"),
    ("unsuccessful", "Unsuccessful (after the interview or offer)"),
    ("declined", "Declined by the resident"),
]
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?", re.IGNORECASE)


def parse_time(text: str) -> time | None:
    """A time of day as people type it: 14:30, 9.15, 2pm, 2:30pm. None if it is not one."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half.lower() == "pm" else 0)
    elif match.group(2) is None:
        return None  # "14" alone is ambiguous: ask for 14:00
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


class ProgressForm(GovukForm):
    stage = choice_field("What happened", STAGE_CHOICES, select="what happened")
    on = date_field(
        "Date",
        past_only=True,
        required=False,
        help_text=f"Not for an interview booked. {DATE_HINT}",
    )
    interview_on = date_field(
        "Interview date",
        required=False,
        help_text=f"For an interview booked: it can be in the future. {DATE_HINT}",
    )
    interview_time = text_field(
        "Interview time",
        8,
        required=False,
        help_text="For an interview booked. For example, 14:30 or 2:30pm",
    )
    note = text_field(
        "Note (optional, for unsuccessful or declined)", 500, required=False, rows=2, name="Note"
    )
    hours_per_week = _hours_field("Hours a week (for a start)")
    hourly_wage = _wage_field("Hourly wage (for a start, optional)")
    contract = choice_field(
        "Contract (for a start)", ContractType.choices, radio=False, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        stage = data.get("stage")
        data["at"] = None
        if stage == "interview_booked":
            self._clean_booking(data)
        elif stage and "on" not in self.errors and data.get("on") is None:
            self.add_error("on", "Enter the date")
        # An hours error already shown (not a number, too many) is not repeated.
        hours_shown = "hours_per_week" in self.errors
        if stage == "started" and not hours_shown and data.get("hours_per_week") is None:
            self.add_error("hours_per_week", "Enter the hours a week for a start")
        return data

    def _clean_booking(self, data: dict[str, Any]) -> None:
        day, text = data.get("interview_on"), data.get("interview_time") or ""
        if "interview_on" not in self.errors and day is None:
            self.add_error("interview_on", "Enter the interview date")
        when = parse_time(text) if text.strip() else None
        if not text.strip():
            self.add_error("interview_time", "Enter the interview time")
        elif when is None:
            self.add_error("interview_time", "Enter the interview time like 14:30 or 2:30pm")
        if day is not None and when is not None:
            data["at"] = timezone.make_aware(datetime.combine(day, when))


class WithdrawForm(GovukForm):
    reason = text_field(
        "Why is the referral withdrawn?",
        500,
        rows=3,
        name="Reason",
        enter="why the referral is withdrawn",
    )


class SustainmentForm(GovukForm):
    outcome = choice_field(
        "Result",
        [(o.value, o.label) for o in SustainmentOutcome if o.value],
        select="the result of the check",
    )
    checked_on = date_field("Date checked", past_only=True, help_text=DATE_HINT)
    note = text_field("Note (optional)", 300, required=False)
