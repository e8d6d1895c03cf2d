"""Writes about an employer's roles: described by hand or from a job advert, and edited."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from skillspassport.accounts.models import Organisation, User
from skillspassport.employers.models import JobRole, RoleNeed, RoleSkill
from skillspassport.employers.services.errors import EmployerError


def _title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise EmployerError("Enter the role title", "title")
    return title


@transaction.atomic
def role_create(
    *,
    actor: User,
    employer: Organisation,
    title: str,
    advert_text: str = "",
    is_tech_role: bool = False,
    skills: Sequence[tuple[str, str, float | None]] = (),
    needs: Sequence[tuple[str, str, str, str]] = (),
) -> JobRole:
    """A role with the ESCO skills the employer confirmed (uri, label, score) and the
    framework areas it needs (area code, strand, level, source)."""
    title = _title(title)
    role = JobRole.objects.create(
        employer=employer,
        title=title,
        advert_text=advert_text,
        is_tech_role=is_tech_role,
        created_by=actor,
    )
    seen_uris: set[str] = set()
    RoleSkill.objects.bulk_create(
        RoleSkill(role=role, esco_uri=uri, label=label, score=score)
        for uri, label, score in skills
        if not (uri in seen_uris or seen_uris.add(uri))  # type: ignore[func-returns-value]
    )
    seen_areas: set[str] = set()
    RoleNeed.objects.bulk_create(
        RoleNeed(role=role, area_code=area, strand=strand, level=level, source=source)
        for area, strand, level, source in needs
        if not (area in seen_areas or seen_areas.add(area))  # type: ignore[func-returns-value]
    )
    return role


@transaction.atomic
def role_update(
    *,
    actor: User,
    role: JobRole,
    title: str,
    is_tech_role: bool,
    needs: Sequence[tuple[str, str, str, str]],
) -> JobRole:
    """Change a role's title, whether it is a digital role, and the framework areas it needs
    (area code, strand, level, source). An area kept keeps its level and where it came from;
    the ESCO skills confirmed from the advert stay as they were. Starts already recorded keep
    the title they were recorded with."""
    role = JobRole.objects.select_for_update().get(pk=role.pk)
    if not needs:
        raise EmployerError("Choose at least one skill area the role needs", "areas")
    role.title = _title(title)
    role.is_tech_role = is_tech_role
    role.save(update_fields=["title", "is_tech_role"])
    wanted = {area: (strand, level, source) for area, strand, level, source in needs}
    role.needs.exclude(area_code__in=wanted).delete()
    kept = set(role.needs.values_list("area_code", flat=True))
    RoleNeed.objects.bulk_create(
        RoleNeed(role=role, area_code=area, strand=strand, level=level, source=source)
        for area, (strand, level, source) in wanted.items()
        if area not in kept
    )
    return role
