from __future__ import annotations

from typing import Any

from django import forms

from skillspassport.core.forms import (
    GovukDateField,
    GovukForm,
    ModelMultipleChoiceField,
    OnceOnlyFormMixin,
)
from skillspassport.skills.models import Descriptor, EvidenceMethod, Strand


class DescriptorChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Descriptor) -> str:
        return obj.text


class EvidenceChecklistForm(OnceOnlyFormMixin, GovukForm):
    """A whole strand on one page: tick what the resident showed, how and when."""

    descriptors = DescriptorChoiceField(
        queryset=Descriptor.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="What can they do?",
        error_messages={
            "required": "Select at least one skill the resident showed",
            "invalid_choice": "Select skills from the list",
            "invalid_pk_value": "Select skills from the list",
        },
    )
    method = forms.ChoiceField(
        label="How was it shown?",
        choices=EvidenceMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the resident showed these skills"},
    )
    shown_on = GovukDateField(label="Date shown", help_text="For example, 14 10 2026")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "What the resident did, or the qualification or course. "
            "No health or other sensitive details."
        ),
        error_messages={"max_length": "Note must be 1,000 characters or fewer"},
    )

    def __init__(self, *args: Any, strand: Strand, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.strand = strand
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
    reason = forms.CharField(
        label="Why is this evidence being withdrawn?",
        max_length=500,
        error_messages={
            "required": "Enter why the evidence is being withdrawn",
            "max_length": "Reason must be 500 characters or fewer",
        },
    )
