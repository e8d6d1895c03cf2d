"""Forms for courses, cohorts, sessions, enrolment, attendance and outcomes."""

from __future__ import annotations

from collections import defaultdict
from datetime import time
from typing import Any

from django import forms

from skillspassport.accounts.models import Organisation, User
from skillspassport.areas.postcodes import normalise_postcode
from skillspassport.core.forms import GovukDateField, GovukForm, ModelMultipleChoiceField
from skillspassport.skills.models import Descriptor, FrameworkVersion, ScaleStep
from skillspassport.targeting.models import TargetingPlan
from skillspassport.training.models import AttendanceMark, Cohort, DeliveryMode, FundingSource

SELECT_ERRORS = {
    "invalid_choice": "Select an option from the list",
    "invalid_pk_value": "Select an option from the list",
}


def _required(label: str) -> dict[str, str]:
    return {"required": f"Enter {label}", "max_length": f"{label.capitalize()} is too long"}


class CourseForm(GovukForm):
    provider = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Provider",
        empty_label=None,
        error_messages={"required": "Select the provider", **SELECT_ERRORS},
    )
    title = forms.CharField(
        label="Course title",
        max_length=150,
        error_messages={
            "required": "Enter the course title",
            "max_length": "Course title must be 150 characters or fewer",
        },
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "Description must be 3,000 characters or fewer"},
    )
    level = forms.ModelChoiceField(
        queryset=ScaleStep.objects.none(),
        label="Level the course aims at",
        error_messages={"required": "Select the level the course aims at", **SELECT_ERRORS},
    )
    delivery_mode = forms.ChoiceField(
        label="How it is delivered",
        choices=DeliveryMode.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the course is delivered", **SELECT_ERRORS},
    )
    funding_source = forms.ChoiceField(
        label="Funding source",
        choices=FundingSource.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the funding source", **SELECT_ERRORS},
    )
    hours = forms.IntegerField(
        label="Guided learning hours",
        min_value=1,
        max_value=1000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the guided learning hours",
            "invalid": "Guided learning hours must be a whole number, like 12",
            "min_value": "Guided learning hours must be at least 1",
            "max_value": "Guided learning hours must be 1,000 or fewer",
        },
    )
    descriptors = ModelMultipleChoiceField(
        queryset=Descriptor.objects.none(),
        label="Skills the course teaches",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Select at least one skill the course teaches",
            "invalid_choice": "Select skills from the list",
            "invalid_pk_value": "Select skills from the list",
        },
    )

    def __init__(
        self, *args: Any, providers: Any, framework: FrameworkVersion, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.fields["provider"].queryset = providers  # type: ignore[attr-defined]
        self.fields["level"].queryset = (  # type: ignore[attr-defined]
            ScaleStep.objects.filter(strand__framework=framework)
            .select_related("strand")
            .order_by("strand__position", "rank")
        )
        self.fields["level"].label_from_instance = lambda s: f"{s.strand.name}: {s.name}"  # type: ignore[attr-defined]
        self.fields["descriptors"].queryset = Descriptor.objects.filter(  # type: ignore[attr-defined]
            framework=framework
        ).select_related("area__strand", "level")

    def grouped_descriptors(self) -> list[tuple[Any, list[tuple[Any, list[tuple[Any, bool]]]]]]:
        """Descriptors grouped by strand, then skill area, with whether each is chosen."""
        chosen = {str(v) for v in (self["descriptors"].value() or [])}
        strands: dict[Any, dict[Any, list[tuple[Any, bool]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        field: Any = self.fields["descriptors"]
        for descriptor in field.queryset:
            strands[descriptor.area.strand][descriptor.area].append(
                (descriptor, str(descriptor.pk) in chosen)
            )
        return [(strand, list(areas.items())) for strand, areas in strands.items()]


class CohortForm(GovukForm):
    venue_name = forms.CharField(
        label="Venue", max_length=150, error_messages=_required("the venue")
    )
    venue_postcode = forms.CharField(
        label="Venue postcode",
        max_length=20,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "autocomplete": "off"}),
        error_messages=_required("the venue postcode"),
    )
    start_date = GovukDateField(label="Start date", past_only=False, earliest=None)
    end_date = GovukDateField(label="End date", past_only=False, earliest=None)
    capacity = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=500,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of places",
            "invalid": "Places must be a whole number, like 12",
            "min_value": "Places must be at least 1",
            "max_value": "Places must be 500 or fewer",
        },
    )
    waiting_list_open = forms.BooleanField(
        label="Keep a waiting list when the course is full", required=False, initial=True
    )
    tutor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Tutor",
        error_messages={"required": "Select the tutor", **SELECT_ERRORS},
    )
    targeting_plan = forms.ModelChoiceField(
        queryset=TargetingPlan.objects.none(),
        label="Targeting plan (optional)",
        required=False,
        help_text="Link the cohort to a plan's priority areas to invite residents from it.",
        error_messages=SELECT_ERRORS,
    )

    def __init__(self, *args: Any, tutors: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tutor"].queryset = tutors  # type: ignore[attr-defined]
        self.fields["targeting_plan"].queryset = plans  # type: ignore[attr-defined]

    def clean_venue_postcode(self) -> str:
        postcode = normalise_postcode(self.cleaned_data["venue_postcode"])
        if postcode is None:
            raise forms.ValidationError("Enter a real postcode, like L20 1AD")
        return postcode

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "End date must be on or after the start date")
        return data


TIME_ERRORS = {"required": "Enter a time, like 10:00", "invalid": "Enter a time, like 10:00"}


class SessionsForm(GovukForm):
    first_date = GovukDateField(label="Date of the (first) session", past_only=False, earliest=None)
    start_time = forms.TimeField(
        label="Starts at",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={k: f"Start time: {v.lower()}" for k, v in TIME_ERRORS.items()},
    )
    end_time = forms.TimeField(
        label="Ends at",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={k: f"End time: {v.lower()}" for k, v in TIME_ERRORS.items()},
    )
    weeks = forms.IntegerField(
        label="Repeat weekly for how many weeks?",
        min_value=1,
        max_value=52,
        initial=1,
        help_text="1 adds a single session.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter the number of weeks",
            "invalid": "Number of weeks must be a whole number, like 6",
            "min_value": "Number of weeks must be at least 1",
            "max_value": "Number of weeks must be 52 or fewer",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start: time | None = data.get("start_time")
        end: time | None = data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "End time must be after the start time")
        return data


class EnrolForm(GovukForm):
    resident = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a resident", "invalid": "Choose a resident"},
    )


class ReferForm(GovukForm):
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        label="Course and start date",
        error_messages={"required": "Select a course to refer to", **SELECT_ERRORS},
    )

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["cohort"]
        field.queryset = cohorts
        field.label_from_instance = lambda c: (
            f"{c.course.title} — {c.course.provider}, {c.venue_name}, from {c.start_date:%-d %B %Y}"
        )


class ReasonForm(GovukForm):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError("Enter the reason")
        return reason


class OutcomeForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Did the learner complete the course?",
        choices=[("completed", "Completed"), ("not_completed", "Did not complete")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the learner completed", **SELECT_ERRORS},
    )
    reason = forms.CharField(
        label="If they did not complete, why not?",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": "Reason must be 500 characters or fewer"},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["reason"] = " ".join((data.get("reason") or "").split())
        if data.get("outcome") == "not_completed" and not data["reason"]:
            self.add_error("reason", "Enter why the learner did not complete")
        return data


def parse_register(post: Any, enrolment_ids: list[int]) -> tuple[dict[int, str], list[str]]:
    """Marks from a register form (`mark-<enrolment id>` fields); errors name the problem.

    Fields for anyone not on the register are an error, not ignored, so a tampered form is
    refused as a whole.
    """
    valid = set(AttendanceMark.values)
    marks: dict[int, str] = {}
    errors: list[str] = []
    allowed = set(enrolment_ids)
    for key in post:
        if not key.startswith("mark-"):
            continue
        try:
            enrolment_id = int(key.removeprefix("mark-"))
        except ValueError:
            errors.append("Attendance can only be recorded for learners enrolled on the course.")
            continue
        if enrolment_id not in allowed:
            errors.append("Attendance can only be recorded for learners enrolled on the course.")
            continue
        value = post.get(key, "")
        if value not in valid:
            errors.append("Choose present, absent or excused for each learner.")
            continue
        marks[enrolment_id] = value
    if not marks and not errors:
        errors.append("Mark at least one learner present, absent or excused.")
    return marks, sorted(set(errors))


class InviteForm(GovukForm):
    cohort = forms.ModelChoiceField(
        queryset=Cohort.objects.none(),
        label="Invite to",
        error_messages={"required": "Select the course to invite people to", **SELECT_ERRORS},
    )

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["cohort"]
        field.queryset = cohorts
        field.label_from_instance = lambda c: (
            f"{c.course.title}, {c.venue_name}, from {c.start_date:%-d %B %Y}"
        )
