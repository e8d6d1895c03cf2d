"""The GOV.UK date input (day, month and year boxes) and the helper that builds one."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

# The earliest date most fields accept (a date of birth may go back to 1900).
EARLIEST = date(2000, 1, 1)


class DateInputsWidget(forms.MultiWidget):
    """Day, month and year in three boxes, as in the GOV.UK date input pattern."""

    template_name = "django/forms/widgets/date_inputs.html"
    use_fieldset = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        box = {"inputmode": "numeric", "class": "govuk-input govuk-date-input__input"}
        widgets = [
            forms.TextInput(
                attrs={
                    **box,
                    "class": f"{box['class']} govuk-input--width-{width}",
                    "maxlength": width,
                }
            )
            for width in (2, 2, 4)
        ]
        super().__init__(widgets, attrs)

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    """A date from three boxes. `earliest`/`latest` bound it; `past_only` refuses the future."""

    widget = DateInputsWidget

    def __init__(
        self,
        *,
        label: str,
        past_only: bool = True,
        earliest: date | None = date(1900, 1, 1),
        **kwargs: Any,
    ) -> None:
        self.label_text = label
        self.past_only = past_only
        self.earliest = earliest
        fields = (
            forms.CharField(required=False),
            forms.CharField(required=False),
            forms.CharField(required=False),
        )
        super().__init__(fields=fields, require_all_fields=False, label=label, **kwargs)

    def clean(self, value: Any) -> date | None:
        parts = [str(p or "").strip() for p in (value or ["", "", ""])]
        if not any(parts):
            if self.required:
                raise forms.ValidationError(f"Enter {self.label_text.lower()}", code="required")
            return None
        names = ["a day", "a month", "a year"]
        missing = [n for n, p in zip(names, parts, strict=True) if not p]
        if missing:
            raise forms.ValidationError(
                f"{self.label_text} must include {' and '.join(missing)}", code="incomplete"
            )
        # isdecimal, not isdigit: "²" is a digit that int() refuses.
        if not all(p.isascii() and p.isdecimal() for p in parts) or len(parts[2]) != 4:
            raise forms.ValidationError(
                f"{self.label_text} must be a real date, with a 4-digit year", code="invalid"
            )
        try:
            # A day or month of 20 digits is too big for date() (OverflowError).
            result = date(int(parts[2]), int(parts[1]), int(parts[0]))
        except (ValueError, OverflowError) as exc:
            raise forms.ValidationError(
                f"{self.label_text} must be a real date", code="invalid"
            ) from exc
        if self.past_only and result > timezone.localdate():
            raise forms.ValidationError(f"{self.label_text} must be in the past", code="future")
        if self.earliest and result < self.earliest:
            raise forms.ValidationError(
                f"{self.label_text} must be after {self.earliest:%-d %B %Y}", code="too_early"
            )
        return result

    def compress(self, data_list: list[Any]) -> Any:  # pragma: no cover - clean() does the work
        return data_list


def date_field(
    label: str,
    *,
    past_only: bool = False,
    earliest: date | None = EARLIEST,
    required: bool = True,
    **kwargs: Any,
) -> GovukDateField:
    """A date in three boxes, from `earliest` (1 January 2000 unless given); `past_only`
    refuses dates after today."""
    return GovukDateField(
        label=label, past_only=past_only, earliest=earliest, required=required, **kwargs
    )
