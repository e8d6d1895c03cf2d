"""Spans of days, and the QuerySet base that counted records build on.

Everything the service counts "in a period" (a report's half-year, a project's dates) is counted
over whole days, both ends included. A date field is compared with the days themselves; a moment
(a datetime field) with the service's time zone, from the start of the first day to the start of
the day after the last. `day_span` is that one conversion.

`RecordQuerySet` gives each app's QuerySets the two things every count needs: the days, and
`for_residents` (the records of some residents, however the records reach them). What a measure
means is written once, as a method of the QuerySet of the app that owns the records; the KPIs and
the funding outputs chain those methods with their own scope (a council's scheme, a project's
delivery organisations) and their own days. See docs/adr/0015-what-sustained-means.md.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, ClassVar, Self, TypeVar

from django.db import models
from django.utils import timezone

_M = TypeVar("_M", bound=models.Model)


def day_span(first: date, last: date) -> tuple[datetime, datetime]:
    """The moments of the days `first` to `last` (both included) in the service's time zone:
    [start of `first`, start of the day after `last`)."""
    zone = timezone.get_default_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone),
    )


class RecordQuerySet(models.QuerySet[_M]):
    """A QuerySet of records about residents.

    `resident_path` is the lookup from a record to its resident ("resident", "case__resident"...).
    """

    resident_path: ClassVar[str] = "resident"

    def for_residents(self, residents: models.QuerySet[Any]) -> Self:
        """The records of `residents` (a queryset of `people.Resident`)."""
        return self.filter(**{f"{self.resident_path}__in": residents})

    def _on_days(self, field: str, first: date, last: date) -> Self:
        """Records whose date `field` falls on the days `first` to `last` (both included)."""
        return self.filter(**{f"{field}__gte": first, f"{field}__lte": last})

    def _within_days(self, field: str, first: date, last: date) -> Self:
        """Records whose datetime `field` falls within the days `first` to `last`."""
        start, end = day_span(first, last)
        return self.filter(**{f"{field}__gte": start, f"{field}__lt": end})
