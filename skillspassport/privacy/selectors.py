"""Reads for data-subject rights, and the guards the pages use.

Residents are fetched through `people.selectors.resident_get_for_user` with
`Capability.HANDLE_RIGHTS_REQUESTS`; councils (for retention rules) through
`council_get_for_rights`.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet
from django.http import Http404

from skillspassport.accounts.models import Organisation, OrganisationKind, User
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import organisation_ids_where
from skillspassport.people.models import Resident
from skillspassport.privacy.models import Erasure, ResidentRevision, RetentionRule


def resident_reference(public_id: uuid.UUID) -> str:
    """The short reference typed to confirm an erasure: the first 8 characters of the
    resident's id, in capitals (commands take the whole id)."""
    return public_id.hex[:8].upper()


def erasure_for(*, resident: Resident) -> Erasure | None:
    return Erasure.objects.filter(resident=resident).select_related("erased_by", "rule").first()


def revisions_for(*, resident: Resident) -> QuerySet[ResidentRevision]:
    return ResidentRevision.objects.filter(resident=resident).select_related("changed_by")


def revision_values(revision: ResidentRevision) -> list[tuple[str, str]]:
    """(label, earlier value) for each field a revision kept; empty once erased."""
    rows = []
    for name, value in revision.previous.items():
        try:
            label = str(getattr(Resident._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:  # a field since removed from the model
            label = name
        rows.append((label[:1].upper() + label[1:], str(value)))
    return rows


def rights_councils_for(*, user: User) -> QuerySet[Organisation]:
    """Councils whose retention rules `user` may manage: those in which they hold
    HANDLE_RIGHTS_REQUESTS through a membership of the council itself."""
    ids = organisation_ids_where(user=user, capability=Capability.HANDLE_RIGHTS_REQUESTS)
    return Organisation.objects.filter(id__in=ids, kind=OrganisationKind.COUNCIL).order_by("name")


def council_get_for_rights(*, user: User, council_id: int | str) -> Organisation:
    """The council, if `user` may manage its retention rules; Http404 otherwise."""
    try:
        return rights_councils_for(user=user).get(pk=int(council_id))
    except (Organisation.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such council") from exc


def rule_get_for_rights(*, user: User, rule_id: int | str) -> RetentionRule:
    try:
        return RetentionRule.objects.select_related("council").get(
            pk=int(rule_id), council__in=rights_councils_for(user=user)
        )
    except (RetentionRule.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such rule") from exc


def rules_for(*, council: Organisation) -> QuerySet[RetentionRule]:
    return RetentionRule.objects.filter(council=council).select_related("updated_by")
