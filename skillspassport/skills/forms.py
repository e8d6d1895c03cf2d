from __future__ import annotations

from typing import Any

from django import forms

from skillspassport.core.forms import (
    GovukDateField,
    GovukForm,
    ModelMultipleChoiceField,
    OnceOnlyFormMixin,
    choice_field,
    model_choice_field,
    text_field,
)
from skillspassport.skills.models import Descriptor, EvidenceMethod, Strand


class DescriptorChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Descriptor) -> str:
        return obj.text


class EvidenceChecklistForm(OnceOnlyFormMixin, GovukForm):
    """A whole strand on one page: tick what the resident showed, how and when."""

    descriptors = model_choice_field(
        "What can they do?",
        Descriptor.objects.none(),
        select="skills",
        field_class=DescriptorChoiceField,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one skill the resident showed"},
    )
    method = choice_field(
        "How was it shown?", EvidenceMethod.choices, select="how the resident showed these skills"
    )
    shown_on = GovukDateField(label="Date shown", help_text="For example, 14 10 2026")
    note = text_field(
        "Note (optional)",
        1000,
        required=False,
        rows=3,
        help_text=(
            "What the resident did, or the qualification or course. "
            "No health or other sensitive details."
        ),
    )

    def __init__(
        self, *args: Any, strand: Strand, methods: list[str] | None = None, **kwargs: Any
    ) -> None:
        """`methods`: the ways of showing a skill this user may record (by their role)."""
        super().__init__(*args, **kwargs)
        self.strand = strand
        allowed = methods if methods is not None else []
        method: Any = self.fields["method"]
        method.choices = [
            (value, label) for value, label in method.choices if not value or value in allowed
        ]
        field: Any = self.fields["descriptors"]
        field.queryset = Descriptor.objects.filter(area__strand=strand).select_related(
            "area", "level"
        )

    def grouped_descriptors(self) -> list[tuple[Any, list[Any]]]:
        """Checkbox options grouped by skill area, for the template."""
        by_pk = {str(option.data["value"]): option for option in self["descriptors"]}
        groups = []
        for area in self.strand.areas.all():
            options = [(d, by_pk[str(d.pk)]) for d in area.descriptors.all() if str(d.pk) in by_pk]
            groups.append((area, options))
        return groups


class WithdrawEvidenceForm(OnceOnlyFormMixin, GovukForm):
    reason = text_field(
        "Why is this evidence being withdrawn?",
        500,
        name="Reason",
        enter="why the evidence is being withdrawn",
    )
