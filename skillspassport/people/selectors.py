"""Reads about residents. Every view fetches a resident through `resident_get_for_user`."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404

from skillspassport.accounts.models import User
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import organisation_ids_where
from skillspassport.areas.postcodes import normalise_postcode
from skillspassport.people.models import ConsentRecord, EqualityMonitoring, Resident

# The overall level's strand code in `skills` (which builds on people): the list filters on it.
OVERALL = "overall"


def name_key(first_name: str, last_name: str) -> str:
    """Case- and space-insensitive key for matching names."""
    return " ".join(f"{first_name} {last_name}".casefold().split())


def email_key(email: str) -> str:
    return email.strip().casefold()


def phone_key(phone: str) -> str:
    """Digits only, with a UK +44 prefix turned into a leading 0."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("44") and len(digits) > 10:
        digits = "0" + digits[2:]
    return digits


def resident_get_for_user(
    *, user: User, public_id: uuid.UUID | str, capability: Capability = Capability.VIEW_RESIDENTS
) -> Resident:
    """The resident, if `user` holds `capability` in the resident's organisation.

    Raises Http404 when the user may not even see the resident (so that guessing ids reveals
    nothing), and PermissionDenied when they may see it but not do what they ask.
    """
    try:
        resident = Resident.objects.select_related(
            "organisation", "lsoa", "ward", "local_authority", "created_by"
        ).get(public_id=public_id)
    except (Resident.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such resident") from exc
    visible = organisation_ids_where(user=user, capability=Capability.VIEW_RESIDENTS)
    allowed = organisation_ids_where(user=user, capability=capability)
    if resident.organisation_id in allowed:
        return resident
    if (
        capability == Capability.RUN_TRAINING
        and Resident.objects.shared_with_training(user).filter(pk=resident.pk).exists()
    ):
        # Shared with the user's training organisation (see `shared_with_training`): the
        # caller shows only what a provider needs, never the whole record.
        return resident
    if resident.organisation_id not in visible:
        raise Http404("No such resident")
    raise PermissionDenied


def residents_for_user(
    *,
    user: User,
    query: str = "",
    level: str | None = None,
    capability: Capability = Capability.VIEW_RESIDENTS,
) -> QuerySet[Resident]:
    """Residents the user may see, filtered by a free-text query and overall level.

    The query matches names (all words), email, phone digits, postcode or date of birth
    written as DD/MM/YYYY. With `capability=RUN_TRAINING` (a provider finding learners) the
    residents who share their record with the user's training organisations are included
    too, each annotated `shared_only=True` where the user may not see the whole record.
    """
    if capability == Capability.RUN_TRAINING:
        own = organisation_ids_where(user=user, capability=Capability.VIEW_RESIDENTS)
        residents = (
            Resident.objects.filter(
                Q(organisation_id__in=own)
                | Q(pk__in=Resident.objects.shared_with_training(user).values("pk"))
            )
            .annotate(
                shared_only=Case(
                    When(organisation_id__in=own, then=Value(False)),
                    default=Value(True),
                    output_field=BooleanField(),
                )
            )
            .with_list_data()
        )
    else:
        residents = Resident.objects.visible_to(user).with_list_data()
    query = " ".join(query.split())[:100]
    if query:
        residents = residents.filter(_query_filter(query))
    if level is not None:
        if level:
            residents = residents.filter(
                passport_levels__strand_code=OVERALL, passport_levels__level=level
            )
        else:
            residents = residents.exclude(
                passport_levels__strand_code=OVERALL, passport_levels__level__gt=""
            )
    return residents


def query_kind(query: str) -> str:
    """The kind of search `query` is, in words for the audit log (never the query itself)."""
    query = " ".join(query.split())[:100]
    if not query:
        return "with no search words"
    if _parse_date(query) is not None:
        return "by date of birth"
    if "@" in query:
        return "by email"
    if normalise_postcode(query) is not None:
        return "by postcode"
    if re.fullmatch(r"\+?[\d ()-]{6,}", query):
        return "by phone"
    return "by name"


def _query_filter(query: str) -> Q:
    born = _parse_date(query)
    if born is not None:
        return Q(date_of_birth=born)
    if "@" in query:
        return Q(email_key=email_key(query))
    postcode = normalise_postcode(query)
    if postcode is not None:
        return Q(postcode=postcode)
    if re.fullmatch(r"\+?[\d ()-]{6,}", query):
        return Q(phone_key__contains=phone_key(query))
    condition = Q()
    for word in query.casefold().split():
        condition &= Q(name_key__contains=word)
    return condition


def _parse_date(text: str) -> date | None:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class PossibleDuplicate:
    resident: Resident
    reasons: tuple[str, ...]


def possible_duplicates(
    *,
    user: User,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    email: str,
    phone: str,
    exclude_id: int | None = None,
) -> list[PossibleDuplicate]:
    """Residents the user may see who look like the same person: same name and date of birth,
    or the same email address, or the same phone number."""
    conditions = Q(pk__in=[])
    key = name_key(first_name, last_name)
    if key and date_of_birth:
        conditions |= Q(name_key=key, date_of_birth=date_of_birth)
    if email:
        conditions |= Q(email_key=email_key(email))
    phone_digits = phone_key(phone)
    if phone_digits:
        conditions |= Q(phone_key=phone_digits)
    candidates = Resident.objects.visible_to(user).filter(conditions).select_related("organisation")
    if exclude_id is not None:
        candidates = candidates.exclude(pk=exclude_id)
    found = []
    for resident in candidates[:10]:
        reasons = []
        if resident.name_key == key and resident.date_of_birth == date_of_birth:
            reasons.append("same name and date of birth")
        if email and resident.email_key == email_key(email):
            reasons.append("same email address")
        if phone_digits and resident.phone_key == phone_digits:
            reasons.append("same phone number")
        found.append(PossibleDuplicate(resident, tuple(reasons)))
    return found


def consents_for(*, resident: Resident) -> QuerySet[ConsentRecord]:
    return resident.consents.select_related("given_by", "withdrawn_by").order_by(
        "purpose", "-given_at"
    )


def equality_get_for_user(*, user: User, resident: Resident) -> EqualityMonitoring | None:
    """The resident's equality answers, for users who may read them; PermissionDenied otherwise."""
    if resident.organisation_id not in organisation_ids_where(
        user=user, capability=Capability.VIEW_EQUALITY
    ):
        raise PermissionDenied
    return EqualityMonitoring.objects.filter(resident=resident).first()


def equality_recorded(*, resident: Resident) -> bool:
    return EqualityMonitoring.objects.filter(resident=resident).exists()
