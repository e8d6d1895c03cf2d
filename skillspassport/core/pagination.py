"""Paging long, ordered querysets without reading whole rows for the pages skipped."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


class KeysFirstPaginator(Paginator):
    """A Paginator that finds a page's primary keys first, then loads just those rows.

    `OFFSET n` makes the database step over n rows. Selecting only the key lets it step
    through an index that matches the ordering (index-only), instead of fetching every
    skipped row from the table; the page's own rows, with their select_related and
    prefetch_related, are then loaded by key. One extra query per page, whatever its size.
    """

    object_list: QuerySet[Any]

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        rows = {row.pk: row for row in self.object_list.filter(pk__in=keys)}
        return Page([rows[key] for key in keys if key in rows], number, self)
