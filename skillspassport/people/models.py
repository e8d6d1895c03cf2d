"""Residents, their consent records and (apart, more restricted) equality-monitoring answers."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from skillspassport.core.querysets import day_span
from skillspassport.people import equality

if TYPE_CHECKING:
    from skillspassport.accounts.models import User


class ContactMethod(models.TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone call"
    TEXT = "text", "Text message"
    POST = "post", "Letter"


# Organisations whose staff may run training (as `training.models.PROVIDER_KINDS`), and the
# enrolment statuses that hold or await a place on a course.
TRAINING_KINDS = ("provider", "voluntary", "council")

# Ages (whole years on the day of registration). Younger than `MIN_AGE` cannot be registered:
# the scheme serves people of working age and those preparing for it (from 14, when work
# experience and college courses begin). From `MIN_AGE` to under `MIN_AGE_OWN_CONSENT` a parent
# or guardian's consent is recorded with each consent (docs/privacy.md).
MIN_AGE = 14
MIN_AGE_OWN_CONSENT = 16
LIVE_ENROLMENT_STATUSES = ("enrolled", "waiting")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


class ResidentQuerySet(models.QuerySet["Resident"]):
    def current(self) -> ResidentQuerySet:
        """Records not merged into another (a merged record's data belongs to the survivor)."""
        return self.filter(merged_into__isnull=True)

    def visible_to(self, user: User) -> ResidentQuerySet:
        """Residents of the organisations in which the user may view residents (records merged
        into another are left out: they are reached through the surviving record)."""
        from skillspassport.accounts.roles import Capability
        from skillspassport.accounts.selectors import organisation_ids_where

        org_ids = organisation_ids_where(user=user, capability=Capability.VIEW_RESIDENTS)
        return self.filter(organisation_id__in=org_ids, merged_into__isnull=True)

    def shared_with_training(self, user: User) -> ResidentQuerySet:
        """Residents whose record is shared with the organisations where `user` runs training.

        That is: residents of those organisations' councils' schemes who take part in the
        scheme and have an active consent to share their record with training providers; and,
        whatever their consent now, people with a live place (enrolled or waiting) on one of
        those organisations' own courses, so that a course under way can be finished. Decided
        from the consent active at the moment of asking, so a withdrawal takes effect at once.
        """
        from skillspassport.accounts.models import Organisation, OrganisationKind
        from skillspassport.accounts.roles import Capability
        from skillspassport.accounts.selectors import organisation_ids_where

        org_ids = organisation_ids_where(user=user, capability=Capability.RUN_TRAINING)
        if not org_ids:
            return self.none()
        providers = list(
            Organisation.objects.filter(id__in=org_ids, kind__in=TRAINING_KINDS).values_list(
                "id", "kind", "council_id"
            )
        )
        if not providers:
            return self.none()
        councils = {
            org_id if kind == OrganisationKind.COUNCIL else council_id
            for org_id, kind, council_id in providers
        } - {None}
        scheme = Q(organisation_id__in=councils) | Q(organisation__council_id__in=councils)

        def active(purpose: str) -> models.Exists:
            return models.Exists(
                ConsentRecord.objects.active().filter(
                    resident=models.OuterRef("pk"), purpose=purpose
                )
            )

        consenting = (
            scheme & Q(active(ConsentPurpose.SCHEME)) & Q(active(ConsentPurpose.SHARE_PROVIDERS))
        )
        # Through the reverse relation of training's enrolments, so `people` imports nothing
        # from `training`.
        learners = Q(
            pk__in=Resident.objects.filter(
                enrolments__cohort__course__provider_id__in=[p[0] for p in providers],
                enrolments__status__in=LIVE_ENROLMENT_STATUSES,
            ).values("pk")
        )
        return self.filter(consenting | learners)

    def with_list_data(self) -> ResidentQuerySet:
        return self.select_related("organisation", "ward").prefetch_related("passport_levels")

    # --- what the KPIs and funding outputs count (docs/adr/0015-what-sustained-means.md) ---

    def in_scheme_of(self, council_id: int) -> ResidentQuerySet:
        """Residents of a council's scheme: registered by the council or one of its partners."""
        return self.filter(
            Q(organisation_id=council_id) | Q(organisation__council_id=council_id),
            merged_into__isnull=True,
        )

    def aged_on(self, day: date, youngest: int, oldest: int) -> ResidentQuerySet:
        """Residents aged `youngest` to `oldest` (whole years, both included) on `day`."""
        born_after = _years_before(day, oldest + 1)
        return self.filter(
            date_of_birth__gt=born_after, date_of_birth__lte=_years_before(day, youngest)
        )

    def disabled(self) -> ResidentQuerySet:
        """Residents who answered yes to the equality-monitoring disability question."""
        return self.filter(equality__disability=equality.YesNo.YES)

    def registered_by(self, organisation_ids: Collection[int]) -> ResidentQuerySet:
        return self.filter(organisation_id__in=list(organisation_ids))

    def registered_between(self, first: date, last: date) -> ResidentQuerySet:
        """Residents registered on the days `first` to `last` (both included)."""
        start, end = day_span(first, last)
        return self.filter(created_at__gte=start, created_at__lt=end)

    def supported_between(
        self, first: date, last: date, *, by: Collection[int] | None = None
    ) -> ResidentQuerySet:
        """Residents supported on the days `first` to `last`: registered on them, or given
        skills evidence recorded on them (each resident once).

        With `by` (organisation ids), the support is those organisations': residents they
        registered on those days, or given evidence then by a member of their staff (whoever
        registered the resident).
        """
        start, end = day_span(first, last)
        registered = Q(created_at__gte=start, created_at__lt=end)
        # EXISTS through the reverse relation, so `people` imports nothing from `skills`, and
        # each resident is checked through the evidence index on resident_id. (An IN over all
        # the days' evidence makes PostgreSQL rescan it once per resident when it does not fit
        # in working memory - minutes at 100,000 residents.)
        evidence: dict[str, Any] = {
            "evidence__recorded_at__gte": start,
            "evidence__recorded_at__lt": end,
        }
        if by is not None:
            registered &= Q(organisation_id__in=list(by))
            evidence["evidence__recorded_by__memberships__organisation_id__in"] = list(by)
        with_evidence = Resident.objects.filter(pk=models.OuterRef("pk"), **evidence)
        return self.filter(registered | Q(models.Exists(with_evidence)))


class Resident(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="residents",
        help_text="The organisation responsible for this record.",
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    address_line_1 = models.CharField(max_length=100, blank=True)
    address_line_2 = models.CharField(max_length=100, blank=True)
    town = models.CharField(max_length=60, blank=True)
    postcode = models.CharField(max_length=8, blank=True)
    preferred_contact = models.CharField(max_length=10, choices=ContactMethod.choices)

    # From the postcode lookup; blank when the postcode is not in it (never guessed).
    lsoa = models.ForeignKey(
        "areas.Lsoa", on_delete=models.PROTECT, null=True, blank=True, related_name="residents"
    )
    ward = models.ForeignKey(
        "areas.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="residents"
    )
    local_authority = models.ForeignKey(
        "areas.LocalAuthority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residents",
    )

    # Normalised keys for the duplicate check and search.
    name_key = models.CharField(max_length=201, db_index=True, editable=False)
    email_key = models.CharField(max_length=254, blank=True, db_index=True, editable=False)
    phone_key = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    # Folded last name (`people.matching.fold`, no spaces): candidates for the duplicate check
    # are found by its first letters.
    last_name_key = models.CharField(max_length=100, blank=True, db_index=True, editable=False)

    # Why the adviser registered this resident despite a warning (kept with the record, so
    # that erasure removes it; the audit event names the fields only).
    duplicate_override_reason = models.CharField(max_length=500, blank=True)
    outside_area_reason = models.CharField(max_length=500, blank=True)

    # A record found to be the same person as another: everything it held now belongs to
    # `merged_into` (privacy.merge); the record itself is kept, and its address redirects.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    merged_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            # Matches the list's ORDER BY exactly, so paging walks the index with no sort.
            models.Index(
                fields=["organisation", "last_name", "first_name", "id"],
                name="resident_org_name_order",
            ),
            models.Index(fields=["organisation", "-created_at"], name="resident_org_recent"),
            models.Index(fields=["name_key", "date_of_birth"]),
            models.Index(fields=["postcode"]),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class ConsentPurpose(models.TextChoices):
    SCHEME = "scheme", "Take part in the Skills Passport scheme"
    CONTACT = "contact", "Be contacted about training and opportunities"
    PUT_FORWARD = "put_forward", "Be put forward to employers"
    SHARE_PROVIDERS = "share_providers", "Share my record with training providers"


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", "Consent (UK GDPR 6(1)(a))"
    CONTRACT = "contract", "Contract (6(1)(b))"
    LEGAL_OBLIGATION = "legal_obligation", "Legal obligation (6(1)(c))"
    VITAL_INTERESTS = "vital_interests", "Vital interests (6(1)(d))"
    PUBLIC_TASK = "public_task", "Public task (6(1)(e))"
    LEGITIMATE_INTERESTS = "legitimate_interests", "Legitimate interests (6(1)(f))"


class ConsentRecordQuerySet(models.QuerySet["ConsentRecord"]):
    def active(self) -> ConsentRecordQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class ConsentRecord(models.Model):
    """One period during which a purpose had a lawful basis: given, then perhaps withdrawn.

    Giving consent again after a withdrawal starts a new record, so the history is kept.
    """

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=20, choices=ConsentPurpose.choices)
    lawful_basis = models.CharField(max_length=24, choices=LawfulBasis.choices)
    note = models.CharField(max_length=500, blank=True)
    given_at = models.DateTimeField(default=timezone.now)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.CharField(max_length=500, blank=True)
    # For a resident under 16 (`MIN_AGE_OWN_CONSENT`): the parent or guardian who agreed.
    guardian_name = models.CharField(max_length=200, blank=True)
    guardian_relationship = models.CharField(max_length=100, blank=True)
    guardian_consented_on = models.DateField(null=True, blank=True)

    objects = ConsentRecordQuerySet.as_manager()

    class Meta:
        ordering = ["purpose", "-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({'withdrawn' if self.withdrawn_at else 'active'})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


def _answer(choices: type[models.TextChoices]) -> models.CharField[str, str]:
    return models.CharField(max_length=24, choices=choices.choices, blank=True)


class EqualityMonitoring(models.Model):
    """Equality-monitoring answers, kept apart from the resident record.

    Read only through `people.selectors.equality_get_for_user`, which needs VIEW_EQUALITY.
    Blank means the question was not answered ("Not recorded").
    """

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="equality")
    sex = _answer(equality.Sex)
    gender_same_as_birth = _answer(equality.YesNo)
    disability = _answer(equality.YesNo)
    marital_status = _answer(equality.MaritalStatus)
    pregnancy_maternity = _answer(equality.YesNo)
    ethnic_group = _answer(equality.EthnicGroup)
    religion = _answer(equality.Religion)
    sexual_orientation = _answer(equality.SexualOrientation)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "equality monitoring record"

    def __str__(self) -> str:
        return f"Equality monitoring for resident {self.resident_id}"
