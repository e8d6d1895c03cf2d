"""Forms for courses, cohorts, sessions, enrolment, attendance and outcomes."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time
from typing import Any

from django import forms
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.areas.postcodes import normalise_postcode
from skillspassport.core.forms import (
    GovukDateField,
    GovukForm,
    ModelMultipleChoiceField,
    choice_field,
    model_choice_field,
    text_field,
    whole_number_field,
)
from skillspassport.skills.models import Descriptor, FrameworkVersion, ScaleStep
from skillspassport.targeting.models import TargetingPlan
from skillspassport.training.models import AttendanceMark, Cohort, DeliveryMode, FundingSource
from skillspassport.training.services.courses import cohort_dates_problem


class CourseForm(GovukForm):
    provider = model_choice_field("Provider", Organisation.objects.none(), empty_label=None)
    title = text_field("Course title", 150)
    description = text_field("Description", 3000, required=False, rows=4)
    level = model_choice_field("Level the course aims at", ScaleStep.objects.none())
    delivery_mode = choice_field(
        "How it is delivered", DeliveryMode.choices, select="how the course is delivered"
    )
    funding_source = choice_field("Funding source", FundingSource.choices)
    hours = whole_number_field(
        "Guided learning hours", minimum=1, maximum=1000, example="12", width=4
    )
    descriptors = model_choice_field(
        "Skills the course teaches",
        Descriptor.objects.none(),
        select="skills",
        field_class=ModelMultipleChoiceField,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one skill the course teaches"},
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
    venue_name = text_field("Venue", 150)
    venue_postcode = text_field(
        "Venue postcode",
        20,
        widget=forms.TextInput(
            attrs={"class": "govuk-input govuk-input--width-10", "autocomplete": "off"}
        ),
    )
    start_date = GovukDateField(label="Start date", past_only=False, earliest=None)
    end_date = GovukDateField(label="End date", past_only=False, earliest=None)
    capacity = whole_number_field(
        "Places", minimum=1, maximum=500, enter="the number of places", example="12"
    )
    waiting_list_open = forms.BooleanField(
        label="Keep a waiting list when the course is full", required=False, initial=True
    )
    tutor = model_choice_field("Tutor", User.objects.none())
    targeting_plan = model_choice_field(
        "Targeting plan (optional)",
        TargetingPlan.objects.none(),
        required=False,
        select="a targeting plan",
        help_text="Link the cohort to a plan's priority areas to invite residents from it.",
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
        elif start and end:
            problem = cohort_dates_problem(start, end)
            if problem is not None:
                self.add_error(problem[0], problem[1].rstrip("."))
        return data


def cohort_initial(cohort: Cohort) -> dict[str, Any]:
    """The cohort form filled in with a cohort's details, to change them."""
    return {
        "venue_name": cohort.venue_name,
        "venue_postcode": cohort.venue_postcode,
        "start_date": cohort.start_date,
        "end_date": cohort.end_date,
        "capacity": cohort.capacity,
        "waiting_list_open": cohort.waiting_list_open,
        "tutor": cohort.tutor_id,
        "targeting_plan": cohort.targeting_plan_id,
    }


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
    weeks = whole_number_field(
        "Repeat weekly for how many weeks?",
        minimum=1,
        maximum=52,
        name="Number of weeks",
        example="6",
        initial=1,
        help_text="1 adds a single session.",
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
    cohort = model_choice_field(
        "Course and start date",
        Cohort.objects.none(),
        select="a course",
        error_messages={"required": "Select a course to refer to"},
    )

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["cohort"]
        field.queryset = cohorts
        today = timezone.localdate()
        field.label_from_instance = lambda c: (
            f"{c.course.title} — {c.course.provider}, {c.venue_name}, "
            f"{c.start_date:%-d %B %Y} to {c.end_date:%-d %B %Y}{_when(c, today)}"
        )


def _when(cohort: Cohort, today: date) -> str:
    if cohort.end_date < today:
        return " (ended: records that they had a place)"
    if cohort.start_date <= today:
        return " (under way: joins late)"
    return ""


class ReasonForm(GovukForm):
    reason = text_field("Reason", 500, rows=3)

    def clean_reason(self) -> str:
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError("Enter the reason")
        return reason


class OutcomeForm(GovukForm):
    outcome = choice_field(
        "Did the learner complete the course?",
        [("completed", "Completed"), ("not_completed", "Did not complete")],
        select="whether the learner completed",
        error_messages={"invalid_choice": "Select whether the learner completed"},
    )
    reason = text_field(
        "If they did not complete, why not?", 500, required=False, rows=3, name="Reason"
    )
    override_reason = text_field(
        "If they completed with attendance below the council's threshold, why?",
        500,
        required=False,
        rows=3,
        name="Reason for completing below the threshold",
        help_text="For example: the register was kept on paper, or they caught up missed work.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["reason"] = " ".join((data.get("reason") or "").split())
        data["override_reason"] = " ".join((data.get("override_reason") or "").split())
        if data.get("outcome") == "not_completed" and not data["reason"]:
            self.add_error("reason", "Enter why the learner did not complete")
        return data


class SessionDeleteForm(GovukForm):
    remove_attendance = forms.BooleanField(
        label="Yes, remove the attendance recorded at this session", required=False
    )


class TrainingPolicyForm(GovukForm):
    completion_attendance_percent = whole_number_field(
        "Attendance needed to complete a course (per cent)",
        minimum=0,
        maximum=100,
        name="Attendance needed",
        example="75",
        width=3,
        help_text=(
            "The share of a cohort's sessions held, less the learner's excused absences, that "
            "a learner must have attended. A tutor may complete a learner below it by giving a "
            "reason."
        ),
    )


def parse_ids(values: list[str]) -> list[int] | None:
    """Whole-number ids from a form's repeated field, or None if any is not one."""
    ids = []
    for value in values:
        value = value.strip()
        if not value.isascii() or not value.isdecimal() or len(value) > 12:
            return None
        ids.append(int(value))
    return ids


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
    cohort = model_choice_field(
        "Invite to",
        Cohort.objects.none(),
        select="a course",
        error_messages={"required": "Select the course to invite people to"},
    )

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["cohort"]
        field.queryset = cohorts
        field.label_from_instance = lambda c: (
            f"{c.course.title}, {c.venue_name}, from {c.start_date:%-d %B %Y}"
        )
