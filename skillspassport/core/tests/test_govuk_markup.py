"""Fields render as their GOV.UK components (the walk of every page in
`home/tests/test_input_sweep.py` checks the pages; these check the building blocks)."""

from __future__ import annotations

from django import forms

from skillspassport.core.forms import GovukForm


class _Form(GovukForm):
    tech = forms.BooleanField(
        label="This is a digital or tech role", required=False, help_text="For example, IT support"
    )
    hours = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))


def test_a_single_tick_box_is_a_govuk_checkbox_item_with_its_label_and_hint() -> None:
    html = str(_Form()["tech"].as_field_group())
    item = html.index('class="govuk-checkboxes__item"')
    tick = html.index('class="govuk-checkboxes__input"')
    label = html.index('class="govuk-label govuk-checkboxes__label"')
    assert 'class="govuk-checkboxes govuk-checkboxes--small"' in html
    assert item < tick < label
    assert 'class="govuk-hint govuk-checkboxes__hint" id="id_tech_helptext"' in html
    assert "govuk-label--s" not in html  # not a question label floating above an unseen box


def test_a_width_modifier_keeps_the_base_class() -> None:
    assert _Form().fields["hours"].widget.attrs["class"] == "govuk-input govuk-input--width-5"
