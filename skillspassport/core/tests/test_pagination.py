from __future__ import annotations

from django.core.paginator import Paginator

from skillspassport.core.pagination import KeysFirstPaginator
from skillspassport.people.models import Resident
from skillspassport.people.tests.factories import ResidentFactory


def test_pages_match_a_plain_paginator_in_order_and_size(council, adviser):
    for name in ["Young", "Adams", "Young", "Byrne", "Adams", "Quinn", "Khan"]:
        ResidentFactory(organisation=council, user=adviser, last_name=name)
    residents = Resident.objects.with_list_data().order_by("last_name", "first_name", "id")
    plain, keys_first = Paginator(residents, 3), KeysFirstPaginator(residents, 3)
    assert keys_first.num_pages == plain.num_pages == 3
    for number in plain.page_range:
        assert list(keys_first.page(number)) == list(plain.page(number))
    assert len(keys_first.get_page(99)) == 1  # out of range: the last page
    assert [r.pk for r in keys_first.page(1)] == [r.pk for r in residents[:3]]
