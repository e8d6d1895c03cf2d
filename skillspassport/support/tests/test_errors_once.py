"""Every form's errors appear once: one message beside the field and the same message once in
the error summary, however many checks the answer failed.

The forms are found by walking the project's `forms` modules, so a new form is covered without
being listed here; each is bound to answers that fail in several ways at once (empty, far too
long, not a number, negative, hostile) and rendered through the shared templates
(`includes/error_summary.html`, `includes/form_fields.html` and `django/forms/`).
"""

from __future__ import annotations

import html
import importlib
import inspect
import pkgutil
import re
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

import skillspassport
from skillspassport.accounts.models import Organisation, User
from skillspassport.core.forms import GovukFormMixin, OnceOnlyFormMixin
from skillspassport.support import services
from skillspassport.support.models import SpendStatus

ANSWERS = ["", "x" * 6000, "abc", "-1", "0", "0.55", '<script>alert("x")</script>']
# Answers to choices that make the forms' own cross-field checks run too.
CHOICES = {"stage": "started", "decision": "refuse", "arrangement": "lent"}
ERROR_MESSAGE = re.compile(r'<p class="govuk-error-message"[^>]*>(.*?)</p>', re.S)
SUMMARY_ITEM = re.compile(r"<li>(?:<a [^>]*>)?(.*?)(?:</a>)?</li>", re.S)


def project_forms() -> Iterator[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(skillspassport.__path__, "skillspassport."):
        name = module.name
        if ".tests" in name or ".migrations" in name:
            continue
        if not (name.endswith(".forms") or ".forms." in name):
            continue
        for value in vars(importlib.import_module(name)).values():
            if (
                inspect.isclass(value)
                and issubclass(value, GovukFormMixin)
                and value.__module__ == name
                and getattr(value, "base_fields", None)
            ):
                yield value


def bind(form_class: type[forms.BaseForm], answer: str) -> forms.BaseForm | None:
    """The form bound to `answer` in every box, or None if it needs more than querysets to be
    built (a framework, a strand...)."""
    data: dict[str, Any] = {}
    for name in form_class.base_fields:
        data[name] = answer
        for part in range(3):  # the day, month and year boxes of a date
            data[f"{name}_{part}"] = answer
    data.update({k: v for k, v in CHOICES.items() if k in form_class.base_fields})
    kwargs: dict[str, Any] = {}
    for parameter in inspect.signature(form_class.__init__).parameters.values():
        if parameter.kind == parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
            kwargs[parameter.name] = (
                User.objects.none() if parameter.name == "advisers" else Organisation.objects.none()
            )
    try:
        form = form_class(data, **kwargs)
        form.is_valid()
    except (TypeError, AttributeError, ValueError):
        return None
    return form


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).replace("Error:", "", 1).strip()


def problems_with(form: forms.BaseForm) -> list[str]:
    fields = render_to_string("includes/form_fields.html", {"form": form})
    summary = render_to_string("includes/error_summary.html", {"form": form})
    shown_beside = Counter(text(m) for m in ERROR_MESSAGE.findall(fields))
    listed = Counter(text(m) for m in SUMMARY_ITEM.findall(summary))
    expected = Counter(
        str(form[name].errors[0])
        for name in form.errors
        if name in form.fields and not form[name].is_hidden
    )
    problems = []
    for message, times in (shown_beside - expected).items():
        problems.append(f"{message!r} shown beside its field {times} more time(s) than once")
    for message in expected - shown_beside:
        problems.append(f"{message!r} not shown beside its field")
    for message, times in expected.items():
        if listed[message] != times:
            problems.append(f"{message!r} listed {listed[message]} times in the summary")
    expired = listed["This form has expired or was changed. Please go back and try again."]
    if expired > 1:
        problems.append(f"the expired-form message is listed {expired} times")
    return problems


@pytest.mark.django_db
def test_every_form_shows_each_error_once_beside_the_field_and_once_in_the_summary():
    checked, failures = set(), []
    for form_class in project_forms():
        for answer in ANSWERS:
            form = bind(form_class, answer)
            if form is None:
                break
            checked.add(form_class.__name__)
            failures += [
                f"{form_class.__module__}.{form_class.__name__} with {answer[:10]!r}: {p}"
                for p in problems_with(form)
            ]
    # The walk reaches the forms of every app, not only a handful.
    assert len(checked) >= 40, sorted(checked)
    assert {"PlacementForm", "DecisionForm", "SpendForm", "ProgressForm"} <= checked
    assert not failures, "\n".join(sorted(set(failures)))


def test_a_field_failing_two_checks_shows_only_the_first():
    class Hours(GovukFormMixin, forms.Form):
        hours = forms.CharField(label="Hours")

        def clean(self) -> dict[str, Any]:
            cleaned = super().clean() or {}
            self.add_error("hours", "Enter the hours a week for a start")
            return cleaned

    form = Hours({"hours": ""})
    assert not form.is_valid()
    assert len(form.errors["hours"]) == 2
    page = render_to_string("includes/error_summary.html", {"form": form}) + render_to_string(
        "includes/form_fields.html", {"form": form}
    )
    assert page.count("This field is required.") == 2  # beside the field, and in the summary
    assert "Enter the hours a week for a start" not in page
    assert page.count('class="govuk-error-message"') == 1


def test_an_expired_form_says_so_once():
    class Token(GovukFormMixin, OnceOnlyFormMixin):
        name = forms.CharField(label="Name", required=False)
        other = forms.UUIDField(widget=forms.HiddenInput)

    form = Token({"name": "x", "submission_token": "nope", "other": "nope"})
    assert not form.is_valid()
    summary = render_to_string("includes/error_summary.html", {"form": form})
    assert summary.count("This form has expired or was changed") == 1
    assert "Enter a valid UUID" not in summary


# --- Through the casework pages --------------------------------------------------------------


def test_refusal_with_a_long_reason_gives_one_message(client, case, adviser, staff, today):
    spend = services.budget_spend_record(
        actor=adviser,
        case=case,
        category="equipment",
        amount=Decimal("350.00"),
        description="Laptop",
        spent_on=today,
    )
    assert spend.status == SpendStatus.AWAITING
    manager = staff["programme_manager"]
    client.force_login(manager)
    response = client.post(
        reverse("support:approval-decide", args=[spend.pk]),
        {"decision": "refuse", "note": "n" * 501},
    )
    page = response.content.decode()
    assert page.count("Reason must be 500 characters or fewer") == 2
    assert "Enter the reason for refusing the spend" not in page
    spend.refresh_from_db()
    assert spend.status == SpendStatus.AWAITING


def test_placement_hours_error_once(client, case, adviser, today):
    from skillspassport.support.tests.helpers import date_post

    client.force_login(adviser)
    data = {
        "employer_name": "Dockside Logistics",
        "role_title": "Warehouse assistant",
        "weeks": "8",
        "hours_per_week": "100",
        "hourly_wage": "12.00",
        **date_post("starts_on", today),
        **date_post("ends_on", today + timedelta(days=56)),
        "outcome": "ongoing",
    }
    page = client.post(reverse("support:placement-add", args=[case.public_id]), data)
    assert page.content.decode().count("Hours per week must be 48 or fewer") == 2
