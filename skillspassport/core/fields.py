"""GOV.UK form fields and the one set of helpers every app builds its fields with.

Each helper names the field in its messages the way the GOV.UK Design System does: "Enter the
course title", "Select the outcome", "Course title must be 150 characters or fewer", "Amount
must be £10,000.00 or less". The name is the label without a trailing note in brackets
("Hourly wage (optional)" is called "Hourly wage"); `name=` says it otherwise, and `enter=` or
`select=` give the words after "Enter" or "Select" ("the resident's first name"). Any message
can still be replaced with `error_messages=`. The date field is in core/datefields.py.

Money is one format everywhere: pounds, optionally with a £ and commas (ignored), and at most
two decimal places ("£12,500.50"). Scientific notation, NaN and Infinity are refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db import connections, models

from skillspassport.core.money import pounds

# The largest amount a money column (12 digits, 2 of them pence) holds.
MAX_MONEY = Decimal("9999999999.99")

_NUMBER = re.compile(r"(-)?(£)?(-)?(\d+(?:\.\d+)?|\.\d+)")
_WHOLE = re.compile(r"[+-]?\d+")
_NOTE = re.compile(r"\s*\([^()]*\)$")


# --- Messages ----------------------------------------------------------------------------------


def lower_first(text: str) -> str:
    """'Serial number or ICCID' -> 'serial number or ICCID': only the first letter, so acronyms
    stay as they are."""
    return text[:1].lower() + text[1:]


def field_name(label: Any) -> str:
    """The field's name in its messages: the label without a trailing note in brackets."""
    return _NOTE.sub("", str(label)).strip() or str(label)


def enter_message(what: str) -> str:
    """'Enter the course title' for a missing answer typed in."""
    return f"Enter {what}"


def select_message(what: str) -> str:
    """'Select the outcome' for a missing answer chosen from options."""
    return f"Select {what}"


def too_long_message(name: str, max_length: int) -> str:
    return f"{name} must be {max_length:,} characters or fewer"


def _the(name: str) -> str:
    """'Course title' -> 'the course title'; 'The issuer's name' -> 'the issuer's name'."""
    words = lower_first(name)
    if words.split(" ", 1)[0] in {"the", "a", "an", "their", "your"}:
        return words
    return f"the {words}"


def _number(value: Decimal) -> str:
    """1000 -> '1,000', 0.50 -> '0.5': the figure as a person would write it."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _places(n: int) -> str:
    return "1 decimal place" if n == 1 else f"{n} decimal places"


# --- Text and choices ----------------------------------------------------------------------------


def text_field(
    label: str,
    max_length: int,
    *,
    required: bool = True,
    enter: str | None = None,
    name: str | None = None,
    rows: int | None = None,
    error_messages: dict[str, str] | None = None,
    **kwargs: Any,
) -> forms.CharField:
    """A line of text, or a textarea of `rows` rows."""
    name = name or field_name(label)
    if rows is not None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        error_messages={
            "required": enter_message(enter or _the(name)),
            "max_length": too_long_message(name, max_length),
            **(error_messages or {}),
        },
        **kwargs,
    )


def _choice_messages(
    label: str, select: str | None, name: str | None, extra: dict[str, str] | None
) -> dict[str, str]:
    what = select or _the(name or field_name(label))
    from_list = f"{select_message(what)} from the list"
    return {
        "required": select_message(what),
        "invalid_choice": from_list,
        "invalid_pk_value": from_list,
        **(extra or {}),
    }


def choice_field(
    label: str,
    choices: Any,
    *,
    radio: bool = True,
    required: bool = True,
    select: str | None = None,
    name: str | None = None,
    error_messages: dict[str, str] | None = None,
    **kwargs: Any,
) -> forms.ChoiceField:
    """One of `choices`, as radios (the default) or a select."""
    kwargs.setdefault("widget", forms.RadioSelect if radio else forms.Select)
    messages = _choice_messages(label, select, name, error_messages)
    messages.pop("invalid_pk_value")
    return forms.ChoiceField(
        label=label, choices=choices, required=required, error_messages=messages, **kwargs
    )


def model_choice_field(
    label: str,
    queryset: Any,
    *,
    required: bool = True,
    select: str | None = None,
    name: str | None = None,
    error_messages: dict[str, str] | None = None,
    field_class: type[forms.ModelChoiceField] = forms.ModelChoiceField,
    **kwargs: Any,
) -> Any:
    """One object from `queryset` (often `.none()`, replaced by the form's own queryset).

    `field_class` may be a subclass, such as core's ModelMultipleChoiceField for several.
    """
    messages = _choice_messages(label, select, name, error_messages)
    return field_class(
        label=label, queryset=queryset, required=required, error_messages=messages, **kwargs
    )


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, except that an id too big for the database's integer key is refused as
    an ordinary "not one of the choices" error.

    Django checks such ids with an `IN` query, which raises OverflowError on SQLite and a
    DataError on PostgreSQL for `99999999999999999999` — a server error instead of a message.
    """

    def _check_values(self, value: Any) -> Any:
        queryset = self.queryset
        assert queryset is not None  # every form using the field gives it one
        meta = queryset.model._meta
        key = meta.pk if self.to_field_name in (None, "pk") else meta.get_field(self.to_field_name)
        if isinstance(key, models.IntegerField) and isinstance(value, list | tuple):
            ops = connections[queryset.db].ops
            low, high = ops.integer_field_range(key.get_internal_type())
            for pk in value:
                try:
                    number = int(pk)
                except (TypeError, ValueError):
                    continue  # Django's own check gives the message
                if (low is not None and number < low) or (high is not None and number > high):
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)  # type: ignore[misc]


# --- Numbers and money ---------------------------------------------------------------------------


class NumberField(forms.CharField):
    """A decimal number between `minimum` and `maximum` with at most `decimal_places` places.

    Parsed by one pattern (digits, an optional point and places; with `money`, an optional £
    and commas, which are ignored), so "1e400", "NaN" and "Infinity" are refused as not a number
    rather than reaching Decimal. Each problem gets one message, in this order: not a number,
    negative, too small, too large, too many decimal places.
    """

    default_error_messages = {
        "invalid": "Enter a number",
        "negative": "The number cannot be negative",
        "min_value": "The number is too small",
        "max_value": "The number is too large",
        "max_decimal_places": "The number has too many decimal places",
    }

    def __init__(
        self,
        *,
        minimum: Decimal,
        maximum: Decimal,
        decimal_places: int,
        money: bool = False,
        **kwargs: Any,
    ) -> None:
        self.minimum = minimum
        self.maximum = maximum
        self.decimal_places = decimal_places
        self.money = money
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if text is None or text in self.empty_values:
            return None
        # Money may have thousands commas anywhere ("£1,00.00" is 100, as it always was).
        match = _NUMBER.fullmatch(text.replace(",", "") if self.money else text)
        if (
            match is None
            or (match.group(1) and match.group(3))
            or (not self.money and match.group(2))
        ):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            amount = Decimal(match.group(4))
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only digits
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        negative = bool(match.group(1) or match.group(3)) and amount != 0
        return -amount if negative else amount

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        if value < 0 and self.minimum >= 0:
            code = "negative" if self.minimum == 0 else "min_value"
            raise forms.ValidationError(self.error_messages[code], code=code)
        if value < self.minimum:
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value")
        if value > self.maximum:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            raise forms.ValidationError(
                self.error_messages["max_decimal_places"], code="max_decimal_places"
            )

    def clean(self, value: Any) -> Decimal | None:
        cleaned = super().clean(value)
        if cleaned is None:
            return None
        return cleaned.quantize(Decimal(1).scaleb(-self.decimal_places))


class MoneyField(NumberField):
    """Pounds and pence: "250", "£250.50" and "£12,500" are all accepted."""

    def __init__(
        self,
        *,
        minimum: Decimal = Decimal("0.01"),
        maximum: Decimal = MAX_MONEY,
        **kwargs: Any,
    ) -> None:
        super().__init__(minimum=minimum, maximum=maximum, decimal_places=2, money=True, **kwargs)


def money_field(
    label: str,
    *,
    required: bool = True,
    minimum: Decimal = Decimal("0.01"),
    maximum: Decimal = MAX_MONEY,
    enter: str | None = None,
    name: str | None = None,
    error_messages: dict[str, str] | None = None,
    **kwargs: Any,
) -> MoneyField:
    """An amount of money from `minimum` (0.01, or 0 to allow nothing) to `maximum`."""
    name = name or field_name(label)
    kwargs.setdefault(
        "widget",
        forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-10",
            }
        ),
    )
    return MoneyField(
        label=label,
        required=required,
        minimum=minimum,
        maximum=maximum,
        error_messages={
            "required": enter_message(enter or _the(name)),
            "invalid": f"{name} must be an amount of money, like 250 or 250.50",
            "negative": f"{name} cannot be negative",
            "min_value": f"{name} must be more than £0"
            if minimum == Decimal("0.01")
            else f"{name} must be {pounds(minimum)} or more",
            "max_value": f"{name} must be {pounds(maximum)} or less",
            "max_decimal_places": f"{name} must have no more than 2 decimal places",
            **(error_messages or {}),
        },
        **kwargs,
    )


def number_field(
    label: str,
    *,
    minimum: Decimal,
    maximum: Decimal,
    decimal_places: int,
    required: bool = True,
    enter: str | None = None,
    name: str | None = None,
    example: str | None = None,
    width: int = 4,
    error_messages: dict[str, str] | None = None,
    **kwargs: Any,
) -> NumberField:
    """A number that may have decimal places, such as hours a week (0.5 to 80, 1 place)."""
    name = name or field_name(label)
    like = f", like {example}" if example else ""
    kwargs.setdefault(
        "widget",
        forms.TextInput(
            attrs={"inputmode": "decimal", "class": f"govuk-input govuk-input--width-{width}"}
        ),
    )
    return NumberField(
        label=label,
        required=required,
        minimum=minimum,
        maximum=maximum,
        decimal_places=decimal_places,
        error_messages={
            "required": enter_message(enter or _the(name)),
            "invalid": f"{name} must be a number{like}",
            "negative": f"{name} cannot be negative",
            "min_value": f"{name} must be {_number(minimum)} or more",
            "max_value": f"{name} must be {_number(maximum)} or fewer",
            "max_decimal_places": f"{name} must have no more than {_places(decimal_places)}",
            **(error_messages or {}),
        },
        **kwargs,
    )


class WholeNumberField(forms.IntegerField):
    """Django's IntegerField, except that a number of thousands of digits is "too large" (or
    "too small"), not "not a whole number" (int() refuses more than 4,300 digits)."""

    def to_python(self, value: Any) -> int | None:
        text = str(value).strip() if isinstance(value, str) else value
        if isinstance(text, str) and len(text) > 30 and _WHOLE.fullmatch(text):
            code = "min_value" if text.startswith("-") else "max_value"
            limit = self.min_value if code == "min_value" else self.max_value
            if limit is not None:
                raise forms.ValidationError(
                    self.error_messages[code], code=code, params={"limit_value": limit}
                )
        return super().to_python(text)


def whole_number_field(
    label: str,
    *,
    minimum: int,
    maximum: int,
    required: bool = True,
    enter: str | None = None,
    name: str | None = None,
    example: str | None = None,
    width: int = 3,
    error_messages: dict[str, str] | None = None,
    **kwargs: Any,
) -> WholeNumberField:
    """A whole number from `minimum` to `maximum`, typed in a narrow box."""
    name = name or field_name(label)
    like = f", like {example}" if example else ""
    kwargs.setdefault(
        "widget",
        forms.TextInput(
            attrs={"inputmode": "numeric", "class": f"govuk-input govuk-input--width-{width}"}
        ),
    )
    return WholeNumberField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=maximum,
        error_messages={
            "required": enter_message(enter or _the(name)),
            "invalid": f"{name} must be a whole number{like}",
            "min_value": f"{name} must be {minimum:,} or more",
            "max_value": f"{name} must be {maximum:,} or fewer",
            **(error_messages or {}),
        },
        **kwargs,
    )
