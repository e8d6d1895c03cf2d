"""A plan's name is unique within its council: a second plan of the same name is a message."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillspassport.targeting.models import TargetingPlan
from skillspassport.targeting.services import shipped_slice_load


@pytest.fixture
def sefton(council):
    council.local_authority_code = "E08000014"
    council.save()
    shipped_slice_load()
    return council


def _save_plan(client, areas):
    return client.post(
        reverse("targeting:plan-create"),
        {
            "preset": "employment",
            "base": "council",
            "area": areas,
            "name": "Bootle outreach",
            "rationale": "Highest employment and skills need.",
        },
    )


def test_a_second_plan_with_a_name_already_used_is_refused_with_a_message(client, staff, sefton):
    client.force_login(staff["adviser"])
    _save_plan(client, ["E01007009"])
    response = _save_plan(client, ["E01007019"])
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "already has a plan called “Bootle outreach”" in page
    assert TargetingPlan.objects.get().area_codes == ["E01007009"]  # the first is unchanged
