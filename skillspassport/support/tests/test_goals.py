"""Goals of the action plan can be changed: wording, target date and status, audited; bad
input leaves the goal as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.support import services
from skillspassport.support.models import Goal
from skillspassport.support.tests.helpers import date_post


@pytest.fixture
def goal(case, adviser, today):
    return services.goal_add(
        actor=adviser, case=case, text="Write a CV", target_on=today + timedelta(weeks=2)
    )


def edit_url(case, goal):
    return reverse("support:goal-edit", args=[case.public_id, goal.pk])


def test_change_a_goal(client, adviser, case, goal, today):
    client.force_login(adviser)
    case_page = client.get(reverse("support:case", args=[case.public_id])).content.decode()
    assert edit_url(case, goal) in case_page
    assert "Write a CV" in client.get(edit_url(case, goal)).content.decode()
    target = today + timedelta(weeks=5)
    response = client.post(
        edit_url(case, goal),
        {
            "text": "Write a CV for warehouse jobs",
            **date_post("target_on", target),
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.text, goal.target_on, goal.status) == (
        "Write a CV for warehouse jobs",
        target,
        "in_progress",
    )
    event = AuditEvent.objects.filter(action=AuditAction.CASE_UPDATED).latest("id")
    assert event.user == adviser
    assert set(event.fields) == {"goal_text", "goal_target_on", "goal_status"}
    assert "warehouse" not in event.summary  # the goal's words are the resident's, not the log's


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": ""}, "Enter the goal"),
        ({"text": "   "}, "Enter the goal"),
        ({"text": "x" * 501}, "Goal must be 500 characters or fewer"),
        ({"status": "abandoned"}, "Select the goal status from the list"),
        ({"status": ""}, "Select the goal status"),
        ({"target_on_0": "31", "target_on_1": "2"}, "Target date must be a real date"),
        ({"target_on_2": ""}, "Target date must include a year"),
    ],
)
def test_bad_input_keeps_the_goal(client, adviser, case, goal, today, overrides, message):
    client.force_login(adviser)
    data = {"text": "Changed", **date_post("target_on", today), "status": "achieved", **overrides}
    response = client.post(edit_url(case, goal), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(message) == 2, page[:3000]
    goal.refresh_from_db()
    assert (goal.text, goal.status) == ("Write a CV", "not_started")


def test_goal_of_another_case_or_council_is_not_found(client, adviser, case, goal, other_staff):
    client.force_login(other_staff["adviser"])
    assert client.get(edit_url(case, goal)).status_code == 404
    client.force_login(adviser)
    url = reverse("support:goal-edit", args=[case.public_id, goal.pk + 999])
    assert client.get(url).status_code == 404


def test_goal_of_a_closed_case_cannot_change(client, adviser, case, goal, today):
    services.case_close(actor=adviser, case=case, outcome="other", closed_on=today)
    client.force_login(adviser)
    data = {"text": "Changed", **date_post("target_on", today), "status": "achieved"}
    assert "This case is closed" in client.post(edit_url(case, goal), data).content.decode()
    assert Goal.objects.get(pk=goal.pk).text == "Write a CV"
