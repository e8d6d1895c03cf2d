"""The shared field helpers: each refuses empty, malformed, oversized and hostile input with one
GOV.UK-style message that names the field."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django import forms
from django.utils import timezone

from skillspassport.core.forms import (
    GovukForm,
    ModelMultipleChoiceField,
    choice_field,
    date_field,
    field_name,
    lower_first,
    model_choice_field,
    money_field,
    number_field,
    text_field,
    whole_number_field,
)
from skillspassport.skills.models import Descriptor

HOSTILE = ["1e400", "NaN", "Infinity", "-Infinity", "0x10", "<script>", "\x00", "1 2"]


def errors(field: forms.Field, value: object) -> list[str]:
    """The messages a form holding only `field` gives for `value` ([] if it is accepted)."""
    form_class = type("OneFieldForm", (GovukForm,), {"answer": field})
    form = form_class({"answer": value} if value is not None else {})
    form.is_valid()
    return list(form.errors.get("answer", []))


def cleaned(field: forms.Field, value: object) -> object:
    form_class = type("OneFieldForm", (GovukForm,), {"answer": field})
    form = form_class({"answer": value})
    assert form.is_valid(), form.errors
    return form.cleaned_data["answer"]


# --- Messages -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("Hourly wage (optional)", "Hourly wage"),
        ("Hourly wage (for a start, optional)", "Hourly wage"),
        ("Amount (£)", "Amount"),
        ("Date of the (first) session", "Date of the (first) session"),
        ("(optional)", "(optional)"),
    ],
)
def test_a_field_is_named_by_its_label_without_a_trailing_note(label, name):
    assert field_name(label) == name


def test_lower_first_keeps_acronyms():
    assert lower_first("Serial number or ICCID") == "serial number or ICCID"
    assert lower_first("") == ""


# --- Text ---------------------------------------------------------------------------------------


def test_text_field_messages():
    field = text_field("Course title", 150)
    assert errors(field, "") == ["Enter the course title"]
    assert errors(field, "   ") == ["Enter the course title"]
    assert errors(field, "x" * 151) == ["Course title must be 150 characters or fewer"]
    assert errors(field, "x" * 10_000) == ["Course title must be 150 characters or fewer"]
    assert cleaned(field, "  Digital skills  ") == "Digital skills"


def test_text_field_thousands_are_written_with_a_comma_and_optional_notes_are_left_out():
    field = text_field("Note (optional)", 5000, required=False, rows=3)
    assert isinstance(field.widget, forms.Textarea)
    assert errors(field, "") == []
    assert errors(field, "x" * 5001) == ["Note must be 5,000 characters or fewer"]


def test_text_field_words_can_be_given():
    field = text_field("First name", 100, enter="the resident's first name")
    assert errors(field, "") == ["Enter the resident's first name"]
    named = text_field("Details of the conflict", 20, name="Details", required=False)
    assert errors(named, "x" * 21) == ["Details must be 20 characters or fewer"]


def test_text_field_refuses_a_null_character():
    assert errors(text_field("Title", 50), "a\x00b")


# --- Choices ------------------------------------------------------------------------------------


CHOICES = [("a", "Apples"), ("b", "Bananas")]


@pytest.mark.parametrize("radio", [True, False])
def test_choice_field_messages(radio):
    field = choice_field("Outcome", CHOICES, radio=radio)
    assert isinstance(field.widget, forms.RadioSelect if radio else forms.Select)
    assert errors(field, "") == ["Select the outcome"]
    assert errors(field, "c") == ["Select the outcome from the list"]
    assert errors(field, "x" * 10_000) == ["Select the outcome from the list"]
    assert errors(field, "<script>") == ["Select the outcome from the list"]
    assert cleaned(field, "b") == "b"


def test_choice_field_words_can_be_given():
    field = choice_field("Size", CHOICES, select="the employer's size")
    assert errors(field, None) == ["Select the employer's size"]
    assert errors(field, "z") == ["Select the employer's size from the list"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["999999", "abc", "99999999999999999999", "1e309"])
def test_model_choice_field_messages(value):
    field = model_choice_field("Skill", Descriptor.objects.all(), select="a skill")
    assert errors(field, "") == ["Select a skill"]
    assert errors(field, value) == ["Select a skill from the list"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["999999", "abc", "99999999999999999999"])
def test_model_choice_field_for_several(value):
    field = model_choice_field(
        "Skills",
        Descriptor.objects.all(),
        select="skills",
        field_class=ModelMultipleChoiceField,
        error_messages={"required": "Select at least one skill"},
    )
    real = Descriptor.objects.order_by("pk").first()
    assert real is not None
    assert errors(field, []) == ["Select at least one skill"]
    assert errors(field, [str(real.pk), value]) == ["Select skills from the list"]


# --- Money --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("250", Decimal("250.00")),
        ("250.5", Decimal("250.50")),
        ("£12,500.00", Decimal("12500.00")),
        ("  £1,234,567  ", Decimal("1234567.00")),
        (".50", Decimal("0.50")),
        ("£1,00.00", Decimal("100.00")),
    ],
)
def test_money_field_accepts_pounds_and_pence(typed, amount):
    assert cleaned(money_field("Amount"), typed) == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the amount"),
        ("ten pounds", "Amount must be an amount of money, like 250 or 250.50"),
        ("1_000", "Amount must be an amount of money, like 250 or 250.50"),
        ("£", "Amount must be an amount of money, like 250 or 250.50"),
        ("--5", "Amount must be an amount of money, like 250 or 250.50"),
        ("0", "Amount must be more than £0"),
        ("0.00", "Amount must be more than £0"),
        ("-5", "Amount must be more than £0"),
        ("£-5", "Amount must be more than £0"),
        ("12.345", "Amount must have no more than 2 decimal places"),
        ("10000000000", "Amount must be £9,999,999,999.99 or less"),
        ("9" * 10_000, "Amount must be £9,999,999,999.99 or less"),
        *((h, "Amount must be an amount of money, like 250 or 250.50") for h in HOSTILE),
    ],
)
def test_money_field_messages(typed, message):
    assert errors(money_field("Amount"), typed) == [message]


def test_money_field_with_a_maximum_and_zero_allowed():
    field = money_field("Hourly wage (optional)", required=False, minimum=Decimal(0),
                        maximum=Decimal("9999.99"))  # fmt: skip
    assert errors(field, "") == []
    assert cleaned(field, "0") == Decimal("0.00")
    assert errors(field, "-1") == ["Hourly wage cannot be negative"]
    assert errors(field, "10000") == ["Hourly wage must be £9,999.99 or less"]
    assert errors(field, "9999.99") == []


def test_money_field_widget_is_text_not_number():
    widget = money_field("Amount").widget
    assert widget.input_type == "text"  # type: ignore[attr-defined]
    assert widget.attrs["inputmode"] == "decimal"


# --- Numbers ------------------------------------------------------------------------------------


def hours() -> forms.Field:
    return number_field(
        "Hours a week",
        minimum=Decimal("0.5"),
        maximum=Decimal(80),
        decimal_places=1,
        example="16 or 37.5",
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the hours a week"),
        ("lots", "Hours a week must be a number, like 16 or 37.5"),
        ("1,000", "Hours a week must be a number, like 16 or 37.5"),
        ("£5", "Hours a week must be a number, like 16 or 37.5"),
        ("-1", "Hours a week must be 0.5 or more"),
        ("0.4", "Hours a week must be 0.5 or more"),
        ("80.5", "Hours a week must be 80 or fewer"),
        ("9" * 10_000, "Hours a week must be 80 or fewer"),
        ("16.25", "Hours a week must have no more than 1 decimal place"),
        *((h, "Hours a week must be a number, like 16 or 37.5") for h in HOSTILE),
    ],
)
def test_number_field_messages(typed, message):
    assert errors(hours(), typed) == [message]


def test_number_field_accepts_a_number_in_range():
    assert cleaned(hours(), "37.5") == Decimal("37.5")
    assert cleaned(hours(), "16") == Decimal("16.0")


def test_number_field_from_zero_says_negative():
    field = number_field(
        "Demography weight", minimum=Decimal(0), maximum=Decimal(100), decimal_places=2
    )
    assert errors(field, "-1") == ["Demography weight cannot be negative"]
    assert errors(field, "0") == []


# --- Whole numbers ------------------------------------------------------------------------------


def places() -> forms.Field:
    return whole_number_field("Places", minimum=1, maximum=1000, example="3")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the places"),
        ("three", "Places must be a whole number, like 3"),
        ("2.5", "Places must be a whole number, like 3"),
        ("0", "Places must be 1 or more"),
        ("-4", "Places must be 1 or more"),
        ("1001", "Places must be 1,000 or fewer"),
        ("9" * 10_000, "Places must be 1,000 or fewer"),
        ("-" + "9" * 10_000, "Places must be 1 or more"),
        *((h, "Places must be a whole number, like 3") for h in HOSTILE),
    ],
)
def test_whole_number_field_messages(typed, message):
    assert errors(places(), typed) == [message]


def test_whole_number_field_accepts_a_number_in_range():
    assert cleaned(places(), " 12 ") == 12
    assert places().widget.attrs["inputmode"] == "numeric"


def test_whole_number_field_words_can_be_given():
    field = whole_number_field("Places", minimum=1, maximum=5, enter="the number of places")
    assert errors(field, "") == ["Enter the number of places"]


# --- Dates --------------------------------------------------------------------------------------


def parts(day: object, month: object, year: object) -> dict[str, object]:
    return {"answer_0": day, "answer_1": month, "answer_2": year}


def date_errors(field: forms.Field, day: object, month: object, year: object) -> list[str]:
    form_class = type("OneFieldForm", (GovukForm,), {"answer": field})
    form = form_class(parts(day, month, year))
    form.is_valid()
    return list(form.errors.get("answer", []))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("", "", ""), "Enter start date"),
        (("", "3", "2026"), "Start date must include a day"),
        (("1", "", ""), "Start date must include a month and a year"),
        (("31", "2", "2026"), "Start date must be a real date"),
        (("1", "1", "26"), "Start date must be a real date, with a 4-digit year"),
        (("x", "1", "2026"), "Start date must be a real date, with a 4-digit year"),
        (("9" * 10_000, "1", "2026"), "Start date must be a real date"),
        (("1e400", "1", "2026"), "Start date must be a real date, with a 4-digit year"),
        (("NaN", "1", "2026"), "Start date must be a real date, with a 4-digit year"),
        (("1", "1", "1999"), "Start date must be after 1 January 2000"),
    ],
)
def test_date_field_messages(typed, message):
    [error] = date_errors(date_field("Start date"), *typed)
    assert error.startswith(message)


def test_date_field_allows_the_future_unless_past_only():
    soon = timezone.localdate() + timedelta(days=30)
    assert date_errors(date_field("Start date"), soon.day, soon.month, soon.year) == []
    assert date_errors(
        date_field("Date checked", past_only=True), soon.day, soon.month, soon.year
    ) == ["Date checked must be in the past"]


def test_date_field_optional_and_earliest():
    field = date_field("Due back", required=False, earliest=None)
    assert date_errors(field, "", "", "") == []
    assert date_errors(field, "1", "1", "1950") == []
    form_class = type("OneFieldForm", (GovukForm,), {"answer": date_field("Start date")})
    form = form_class(parts("27", "3", "2026"))
    assert form.is_valid()
    assert form.cleaned_data["answer"] == date(2026, 3, 27)
