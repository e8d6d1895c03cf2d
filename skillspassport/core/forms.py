"""Form building blocks that render as GOV.UK Frontend components.

Field markup lives in templates/django/forms/; this module adds the CSS classes to widgets.
The fields, and the helpers every app builds its fields with (`text_field`, `choice_field`,
`money_field`, `date_field`...), are in core/fields.py and core/datefields.py; import them
from here.
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms

from skillspassport.core.datefields import EARLIEST, DateInputsWidget, GovukDateField, date_field
from skillspassport.core.fields import (
    MAX_MONEY,
    ModelMultipleChoiceField,
    MoneyField,
    NumberField,
    WholeNumberField,
    choice_field,
    enter_message,
    field_name,
    lower_first,
    model_choice_field,
    money_field,
    number_field,
    select_message,
    text_field,
    too_long_message,
    whole_number_field,
)

__all__ = [
    "EARLIEST",
    "MAX_MONEY",
    "WIDGET_CLASSES",
    "DateInputsWidget",
    "GovukDateField",
    "GovukForm",
    "GovukFormMixin",
    "GovukModelForm",
    "ModelMultipleChoiceField",
    "MoneyField",
    "NumberField",
    "OnceOnlyFormMixin",
    "WholeNumberField",
    "choice_field",
    "date_field",
    "enter_message",
    "field_name",
    "lower_first",
    "model_choice_field",
    "money_field",
    "number_field",
    "select_message",
    "style_widget",
    "text_field",
    "too_long_message",
    "whole_number_field",
]

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
    """Give the widget its GOV.UK base class, keeping any modifier already set
    (`govuk-input--width-5` becomes `govuk-input govuk-input--width-5`)."""
    for leaf in _leaves(widget):
        for widget_type, css in WIDGET_CLASSES:
            if isinstance(leaf, widget_type):
                present = leaf.attrs.get("class", "").split()
                if css not in present:
                    leaf.attrs["class"] = " ".join([css, *present])
                break


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


class OnceOnlyFormMixin(forms.Form):
    """Adds a hidden one-time token; views pass it to core.services.submitted_once."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["submission_token"].initial = uuid.uuid4()
