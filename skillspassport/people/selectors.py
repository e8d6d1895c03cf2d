"""Reads about residents. Every view fetches a resident through `resident_get_for_user`."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.http import Http404

from skillspassport.accounts.models import Organisation, User
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import organisation_ids_where
from skillspassport.areas.models import LocalAuthority
from skillspassport.areas.postcodes import normalise_postcode
from skillspassport.areas.selectors import areas_for_postcode
from skillspassport.audit.models import AuditEvent
from skillspassport.people import matching
from skillspassport.people.matching import email_key as email_key
from skillspassport.people.matching import phone_key as phone_key
from skillspassport.people.models import ConsentRecord, EqualityMonitoring, Resident

# The overall level's strand code in `skills` (which builds on people): the list filters on it.
OVERALL = "overall"


def name_key(first_name: str, last_name: str) -> str:
    """Case- and space-insensitive key for matching names."""
    return " ".join(f"{first_name} {last_name}".casefold().split())


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
    # A record merged into another stands for the surviving record (its address redirects).
    for _hop in range(10):
        if resident.merged_into_id is None:
            break
        resident = Resident.objects.select_related(
            "organisation", "lsoa", "ward", "local_authority", "created_by"
        ).get(pk=resident.merged_into_id)
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
    score: int = 0


# At most this many residents are read from each block of the duplicate check.
BLOCK_LIMIT = 200


def duplicate_blocks(person: matching.Person) -> list[Q]:
    """The blocks of residents worth comparing with `person`, each served by an index (never
    every resident): the same postcode; a date of birth `matching` would score; the same first
    two letters of the last name with the same first initial; the same email or phone."""
    blocks = []
    if person.postcode:
        blocks.append(Q(postcode=person.postcode))
    if person.date_of_birth:
        near = sorted(matching.dates_of_birth_near(person.date_of_birth))
        blocks.append(Q(date_of_birth__in=near))
    last, first = matching.fold(person.last_name).replace(" ", ""), matching.fold(person.first_name)
    if len(last) >= 2 and first:
        blocks.append(Q(last_name_key__startswith=last[:2], name_key__startswith=first[0]))
    if person.email:
        blocks.append(Q(email_key=person.email))
    if person.phone:
        blocks.append(Q(phone_key=person.phone))
    return blocks


def duplicate_candidates(
    *, residents: QuerySet[Resident], person: matching.Person
) -> list[Resident]:
    """Residents from each block of `duplicate_blocks` (at most `BLOCK_LIMIT` from each)."""
    found: dict[int, Resident] = {}
    related = residents.select_related("organisation", "ward", "local_authority")
    for block in duplicate_blocks(person):
        for resident in related.filter(block).order_by("-created_at")[:BLOCK_LIMIT]:
            found.setdefault(resident.pk, resident)
    return list(found.values())


def _as_person(resident: Resident) -> matching.Person:
    return matching.Person(
        first_name=resident.first_name,
        last_name=resident.last_name,
        date_of_birth=resident.date_of_birth,
        postcode=resident.postcode,
        email=resident.email_key,
        phone=resident.phone_key,
    )


def possible_duplicates(
    *,
    user: User,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    email: str,
    phone: str,
    postcode: str = "",
    exclude_id: int | None = None,
) -> list[PossibleDuplicate]:
    """Residents the user may see who may be the same person, most alike first (the weighted
    rule of `people.matching`: nicknames, typos, a swapped day and month, postcode, email and
    phone)."""
    person = matching.Person(
        first_name=first_name,
        last_name=last_name,
        date_of_birth=date_of_birth,
        postcode=postcode,
        email=email_key(email),
        phone=phone_key(phone),
    )
    residents = Resident.objects.visible_to(user)
    if exclude_id is not None:
        residents = residents.exclude(pk=exclude_id)
    candidates = duplicate_candidates(residents=residents, person=person)
    found = matching.best_matches(
        person, ((resident, _as_person(resident)) for resident in candidates)
    )
    return [
        PossibleDuplicate(resident, match.reasons, match.score)  # type: ignore[arg-type]
        for resident, match in found
    ]


def merged_record_ids(*, resident: Resident) -> list[int]:
    """The resident's id and those of the records merged into it."""
    return [resident.pk, *resident.merged_records.values_list("pk", flat=True)]


def audit_events_for_record(*, resident: Resident) -> QuerySet[AuditEvent]:
    """The audit events of the resident's record and of the records merged into it."""
    return AuditEvent.objects.filter(
        resident_id__in=merged_record_ids(resident=resident)
    ).select_related("user")


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


def postcode_outside_area(*, postcode: str, organisation: Organisation) -> str:
    """Why `postcode` seems outside the area of the organisation's council ("" if it is in it,
    or the council has no area code set)."""
    council = organisation.scheme_council
    area_code = council.local_authority_code if council else ""
    if not area_code or not postcode:
        return ""
    areas = areas_for_postcode(postcode)
    area = LocalAuthority.objects.filter(code=area_code).values_list("name", flat=True).first()
    area_name = area or council.name  # type: ignore[union-attr]
    if not areas.known:
        return (
            f"{postcode} is not a postcode in or near {area_name}, so the resident's area "
            'would be "Not known".'
        )
    if areas.local_authority_code != area_code:
        elsewhere = (
            LocalAuthority.objects.filter(code=areas.local_authority_code)
            .values_list("name", flat=True)
            .first()
        )
        return f"{postcode} is in {elsewhere or 'another council area'}, not {area_name}."
    return ""
