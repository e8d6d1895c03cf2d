"""What the API reads and writes, field by field (and so what its OpenAPI schema says)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from skillspassport.employers.models import (
    STRANDS,
    ContractType,
    OpportunityType,
    ReferralStatus,
    SustainmentOutcome,
)
from skillspassport.people.models import ConsentPurpose, ContactMethod, LawfulBasis
from skillspassport.skills.models import Award, EvidenceMethod
from skillspassport.support.models import ReferralSource
from skillspassport.training.models import AttendanceMark, EnrolmentStatus

MAX_ID = 2**53  # ids a JSON client can hold exactly

# Evidence a partner may record directly; course completion comes only from a completion.
DIRECT_METHODS = [
    (m.value, m.label) for m in EvidenceMethod if m != EvidenceMethod.COURSE_COMPLETION
]
LEVELS = [(a.value, a.label) for a in Award if a.value]


def _id(**kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


# --- Residents ------------------------------------------------------------------------------


class ConsentIn(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=ConsentPurpose.choices)
    lawful_basis = serializers.ChoiceField(choices=LawfulBasis.choices)


class ConsentOut(serializers.Serializer):
    purpose = serializers.CharField()
    lawful_basis = serializers.CharField()
    given_at = serializers.DateTimeField()


class ResidentIn(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    date_of_birth = serializers.DateField()
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    address_line_1 = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    address_line_2 = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    town = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    postcode = serializers.CharField(max_length=10)
    preferred_contact = serializers.ChoiceField(choices=ContactMethod.choices)
    consents = ConsentIn(
        many=True,
        help_text='One record per purpose the resident agreed to; "scheme" is required.',
    )
    confirm_not_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Register even though possible duplicates were found (after checking them).",
    )

    def consents_problem(self) -> str | None:
        """What is wrong with the consent records (a 422: the schema cannot say it)."""
        purposes = [c["purpose"] for c in self.validated_data["consents"]]
        if len(set(purposes)) != len(purposes):
            return "Give each purpose once."
        if ConsentPurpose.SCHEME not in purposes:
            return 'Give the lawful basis for holding the record in the scheme (purpose "scheme").'
        return None


class ResidentOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    organisation = serializers.CharField(source="organisation.name")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    email = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    address_line_1 = serializers.CharField(allow_null=True)
    address_line_2 = serializers.CharField(allow_null=True)
    town = serializers.CharField(allow_null=True)
    postcode = serializers.CharField(allow_null=True)
    preferred_contact = serializers.CharField()
    shared_only = serializers.BooleanField(
        help_text="Seen only because the resident shares their record with training "
        "providers: date of birth, contact details and address are not given."
    )
    consents = ConsentOut(many=True)
    levels = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        help_text='Passport level by strand, and "overall" ("" = no level yet).',
    )
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


# --- Evidence -------------------------------------------------------------------------------


class EvidenceIn(serializers.Serializer):
    descriptors = serializers.ListField(
        child=serializers.CharField(max_length=40),
        min_length=1,
        max_length=100,
        help_text="Codes of the framework descriptors the resident showed.",
    )
    method = serializers.ChoiceField(choices=DIRECT_METHODS)
    shown_on = serializers.DateField()
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class EvidenceOut(serializers.Serializer):
    id = serializers.IntegerField()
    descriptor = serializers.CharField(source="descriptor.code")
    method = serializers.CharField()
    shown_on = serializers.DateField()
    note = serializers.CharField()
    verified = serializers.BooleanField(source="is_verified")
    recorded_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)


class LevelChangeOut(serializers.Serializer):
    strand = serializers.CharField(source="strand_code")
    from_level = serializers.CharField(allow_blank=True)
    to_level = serializers.CharField(allow_blank=True)


class EvidenceRecorded(serializers.Serializer):
    evidence = EvidenceOut(many=True)
    level_changes = LevelChangeOut(many=True)


# --- Training -------------------------------------------------------------------------------


class SessionOut(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class CohortOut(serializers.Serializer):
    id = serializers.IntegerField()
    course = serializers.CharField(source="course.title")
    provider = serializers.CharField(source="course.provider.name")
    venue_name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    capacity = serializers.IntegerField()
    waiting_list_open = serializers.BooleanField()
    sessions = SessionOut(many=True)
    created_at = serializers.DateTimeField()


class EnrolmentIn(serializers.Serializer):
    resident = serializers.UUIDField()


class EnrolmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    cohort = serializers.IntegerField(source="cohort_id")
    resident = serializers.UUIDField(source="resident.public_id")
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices)
    waiting_position = serializers.IntegerField(allow_null=True)
    requested_at = serializers.DateTimeField()
    enrolled_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    outcome_recorded_at = serializers.DateTimeField(allow_null=True)


class MarkIn(serializers.Serializer):
    enrolment = _id()
    mark = serializers.ChoiceField(choices=AttendanceMark.choices)


class AttendanceIn(serializers.Serializer):
    marks = MarkIn(many=True, min_length=1, max_length=500)  # type: ignore[call-arg]

    def validate_marks(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [m["enrolment"] for m in value]
        if len(set(ids)) != len(ids):
            raise serializers.ValidationError("Give each enrolment one mark.")
        return value


class AttendanceOut(serializers.Serializer):
    session = serializers.IntegerField()
    changed = serializers.IntegerField(help_text="How many marks were new or changed.")


class CompletionIn(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[("completed", "Completed"), ("not_completed", "Did not complete")]
    )
    reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the learner did not complete (required for not_completed).",
    )
    override_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the learner completed although their attendance is below the council's "
        "threshold, or no session was held (required then).",
    )


class CompletionOut(serializers.Serializer):
    enrolment = EnrolmentOut()
    level_changes = LevelChangeOut(many=True)


# --- Casework -------------------------------------------------------------------------------


class ReferralInIn(serializers.Serializer):
    resident = serializers.UUIDField()
    referral_source = serializers.ChoiceField(choices=ReferralSource.choices)
    referred_on = serializers.DateField()
    referring_organisation = serializers.CharField(max_length=200)
    referral_contact = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    opened_on = serializers.DateField(required=False, help_text="Today when not given.")


class CaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    resident = serializers.UUIDField(source="resident.public_id")
    organisation = serializers.CharField(source="organisation.name")
    referral_source = serializers.CharField()
    referred_on = serializers.DateField()
    referring_organisation = serializers.CharField()
    opened_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()


# --- Employers ------------------------------------------------------------------------------


class MinimumIn(serializers.Serializer):
    digital = serializers.ChoiceField(choices=LEVELS, required=False)
    numeracy = serializers.ChoiceField(choices=LEVELS, required=False)
    literacy = serializers.ChoiceField(choices=LEVELS, required=False)
    communication = serializers.ChoiceField(choices=LEVELS, required=False)


class OpportunityIn(serializers.Serializer):
    employer = _id(required=False, help_text="The client's own employer when not given.")
    title = serializers.CharField(max_length=150)
    opportunity_type = serializers.ChoiceField(choices=OpportunityType.choices)
    places = serializers.IntegerField(min_value=1, max_value=10_000)
    closing_on = serializers.DateField()
    minimum = MinimumIn(required=False, help_text="The lowest passport level by strand.")
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=1, max_value=99, required=False, allow_null=True
    )
    hourly_wage = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    description = serializers.CharField(
        max_length=3000, required=False, allow_blank=True, default=""
    )


class OpportunityOut(serializers.Serializer):
    id = serializers.IntegerField()
    employer = serializers.IntegerField(source="employer_id")
    employer_name = serializers.CharField(source="employer.name")
    title = serializers.CharField()
    opportunity_type = serializers.CharField()
    places = serializers.IntegerField()
    closing_on = serializers.DateField()
    minimum = serializers.DictField(child=serializers.CharField(allow_blank=True))
    description = serializers.CharField()
    created_at = serializers.DateTimeField()
    withdrawn_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        instance.minimum = {s: getattr(instance, f"min_{s}") for s in STRANDS}
        return super().to_representation(instance)


class ReferredResidentOut(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class ReferralOut(serializers.Serializer):
    id = serializers.IntegerField()
    opportunity = serializers.IntegerField(source="opportunity_id")
    opportunity_title = serializers.CharField(source="opportunity.title")
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    referred_at = serializers.DateTimeField()
    interviewed_on = serializers.DateField(allow_null=True)
    offered_on = serializers.DateField(allow_null=True)
    started_on = serializers.DateField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    resident = ReferredResidentOut(
        allow_null=True,
        help_text="Who was referred: null once the referral is withdrawn or the resident no "
        "longer agrees to be put forward to employers.",
    )


class OutcomeIn(serializers.Serializer):
    stage = serializers.ChoiceField(
        choices=[
            (s.value, s.label)
            for s in ReferralStatus
            if s.value in ("interviewed", "offered", "started")
        ]
    )
    on = serializers.DateField()
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=1, max_value=99, required=False, allow_null=True
    )
    hourly_wage = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    contract = serializers.ChoiceField(
        choices=ContractType.choices, required=False, default=ContractType.PERMANENT
    )


class CheckOut(serializers.Serializer):
    id = serializers.IntegerField()
    weeks = serializers.IntegerField()
    due_on = serializers.DateField()
    outcome = serializers.CharField(allow_blank=True)
    checked_on = serializers.DateField(allow_null=True)
    referral = serializers.IntegerField(allow_null=True, source="referral_id")


class CheckIn(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[(o.value, o.label) for o in SustainmentOutcome if o.value]
    )
    checked_on = serializers.DateField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
