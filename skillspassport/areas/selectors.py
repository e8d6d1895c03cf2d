"""Reads about areas."""

from __future__ import annotations

from dataclasses import dataclass

from skillspassport.areas.models import Postcode


@dataclass(frozen=True)
class PostcodeAreas:
    known: bool
    lsoa_code: str | None = None
    ward_code: str | None = None
    local_authority_code: str | None = None


def areas_for_postcode(postcode: str) -> PostcodeAreas:
    """The areas of a normalised postcode, from the shipped lookup; all None if unknown."""
    if not postcode:
        return PostcodeAreas(known=False)
    row = (
        Postcode.objects.filter(postcode=postcode)
        .values("lsoa_id", "ward_id", "local_authority_id")
        .first()
    )
    if row is None:
        return PostcodeAreas(known=False)
    return PostcodeAreas(True, row["lsoa_id"], row["ward_id"], row["local_authority_id"])
