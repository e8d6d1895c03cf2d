"""Geography needed to place a resident: local authority, ward, LSOA and the postcode lookup.

Codes are ONS GSS codes. The postcode lookup is shipped in the repository (see DATA.md) and
loaded by `manage.py load_postcodes`; a postcode it does not know leaves the areas blank.
"""

from __future__ import annotations

from django.db import models


class LocalAuthority(models.Model):
    code = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    code = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=100)
    vintage = models.CharField(max_length=10, help_text="Boundary set, e.g. WD24.")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="wards"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Lsoa(models.Model):
    """A Lower Layer Super Output Area (2021 boundaries unless `vintage` says otherwise)."""

    code = models.CharField(max_length=9, primary_key=True)
    name = models.CharField(max_length=100)
    vintage = models.PositiveSmallIntegerField(default=2021)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="lsoas"
    )

    class Meta:
        ordering = ["code"]
        verbose_name = "LSOA"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Postcode(models.Model):
    """One postcode from the ONS postcode lookup, with the areas it sits in.

    `lsoa` and `ward` are the lookup's best-fit areas (NSPL), so ward figures built from
    residents agree with figures built from LSOAs.
    """

    postcode = models.CharField(max_length=8, primary_key=True, help_text="Normalised: 'L20 3AB'.")
    lsoa = models.ForeignKey(Lsoa, on_delete=models.PROTECT, null=True, related_name="+")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, related_name="+")
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, related_name="+"
    )
    latitude = models.FloatField(null=True)
    longitude = models.FloatField(null=True)
    is_live = models.BooleanField(
        default=True, help_text="False for postcodes Royal Mail no longer uses."
    )

    def __str__(self) -> str:
        return self.postcode
