"""Outreach lists: residents already known in a plan's areas who would benefit and may be
contacted. Only people who take part in the scheme and have an active consent or lawful basis
for contact are listed.

The list is worked out afresh on every request, so a page and a download made a minute apart
each follow the consent active at that moment: someone who withdrew in between is not in the
file. Whether the user may download contact details is `may_export` (EXPORT_CONTACTS).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from skillspassport.accounts.models import User
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import user_has_capability
from skillspassport.people.models import ConsentPurpose, ConsentRecord, Resident
from skillspassport.skills.models import OVERALL, PassportLevel
from skillspassport.targeting.models import TargetingPlan

WOULD_BENEFIT = ("", "bronze")  # below Silver overall


@dataclass
class Outreach:
    allowed: bool
    residents: list[Resident] = field(default_factory=list)
    not_contactable: int = 0
    may_export: bool = False


def outreach_list(*, user: User, plan: TargetingPlan) -> Outreach:
    if not user_has_capability(user=user, capability=Capability.VIEW_RESIDENTS):
        return Outreach(allowed=False)
    overall = PassportLevel.objects.filter(resident=OuterRef("pk"), strand_code=OVERALL)
    in_areas = (
        Resident.objects.visible_to(user)
        .filter(lsoa_id__in=plan.area_codes)
        .annotate(overall_level=Subquery(overall.values("level")[:1]))
    )
    benefit = [
        resident
        for resident in in_areas.order_by("last_name", "first_name")
        if (getattr(resident, "overall_level", "") or "") in WOULD_BENEFIT
    ]
    active = set(
        ConsentRecord.objects.active()
        .filter(
            purpose__in=[ConsentPurpose.SCHEME, ConsentPurpose.CONTACT],
            resident_id__in=[r.pk for r in benefit],
        )
        .values_list("resident_id", "purpose")
    )
    listed = [
        r
        for r in benefit
        if (r.pk, ConsentPurpose.CONTACT) in active and (r.pk, ConsentPurpose.SCHEME) in active
    ]
    return Outreach(
        True,
        listed,
        len(benefit) - len(listed),
        may_export=user_has_capability(user=user, capability=Capability.EXPORT_CONTACTS),
    )
