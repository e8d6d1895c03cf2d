"""Form building blocks that render as GOV.UK Frontend components.

Field markup lives in templates/django/forms/; this module adds the CSS classes to widgets and
provides the GOV.UK date pattern (day, month, year boxes) with plain-English errors.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.db import connections, models
from django.utils import timezone

WIDGET_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.RadioSelect, "govuk-radios__input"),
    (forms.CheckboxSelectMultiple, "govuk-checkboxes__input"),
    (forms.CheckboxInput, "govuk-checkboxes__input"),
    (forms.Select, "govuk-select"),
    (forms.Textarea, "govuk-textarea"),
    (forms.ClearableFileInput, "govuk-file-upload"),
    (forms.widgets.Input, "govuk-input"),
]


class GovukFormMixin:
    """Give every widget its GOV.UK class, and an error class when its field has errors."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field.widget)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "errors", {}):
            if name in self.fields:
                for widget in _leaves(self.fields[name].widget):
                    css = widget.attrs.get("class", "")
                    for base in ("govuk-input", "govuk-select", "govuk-textarea"):
                        if base in css.split() and f"{base}--error" not in css:
                            widget.attrs["class"] = f"{css} {base}--error"


def _leaves(widget: forms.Widget) -> list[forms.Widget]:
    if isinstance(widget, forms.MultiWidget):
        return list(widget.widgets)
    return [widget]


def style_widget(widget: forms.Widget) -> None:
    for leaf in _leaves(widget):
        if "class" in leaf.attrs:
            continue
        for widget_type, css in WIDGET_CLASSES:
            if isinstance(leaf, widget_type):
                leaf.attrs["class"] = css
                break


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


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


class OnceOnlyFormMixin(forms.Form):
    """Adds a hidden one-time token; views pass it to core.services.submitted_once."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        import uuid

        self.fields["submission_token"].initial = uuid.uuid4()
