from __future__ import annotations

import csv
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from django import forms

from skillspassport.core.forms import (
    GovukForm,
    choice_field,
    number_field,
    style_widget,
    text_field,
)
from skillspassport.targeting import readers
from skillspassport.targeting.analytics.presets import PRESETS
from skillspassport.targeting.selectors import BASES

COMPONENTS = sorted({c.code: c.label for m in PRESETS.values() for c in m.components}.items())


class TargetingForm(GovukForm):
    preset = choice_field(
        "Method", [(m.code, m.label) for m in PRESETS.values()], select="a method", initial="deri"
    )
    base = choice_field(
        "Scale each indicator against",
        list(BASES.items()),
        select="what to scale each indicator against",
        initial="council",
        help_text="10 is the highest value in this base, 0 the lowest.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, label in COMPONENTS:
            self.fields[f"w_{code}"] = number_field(
                f"{label} weight",
                required=False,
                minimum=Decimal(0),
                maximum=Decimal(100),
                decimal_places=2,
            )
            style_widget(self.fields[f"w_{code}"].widget)

    def weights(self) -> dict[str, float]:
        """Component weights the user set (only for the chosen method's components)."""
        method = PRESETS[self.cleaned_data["preset"]]
        chosen = {}
        for component in method.components:
            value = self.cleaned_data.get(f"w_{component.code}")
            if value is not None:
                chosen[component.code] = float(value)
        return chosen


class PlanForm(GovukForm):
    name = text_field("Plan name", 150, enter="a name for the plan")
    rationale = text_field(
        "Why these areas",
        4000,
        rows=4,
        name="The reasons",
        enter="why these areas were chosen",
    )


UPLOAD_MAX_BYTES = 5 * 1024 * 1024


class AreaDataUploadForm(GovukForm):
    """A national file in its official layout, checked whole before it is queued to import."""

    dataset = choice_field(
        "Which dataset is it",
        [(d.code, f"{d.label} ({d.vintage})") for d in readers.DATASETS.values()],
        select="which dataset the file holds",
    )
    file = forms.FileField(
        label="The file",
        help_text=(
            "The official CSV, or the same compressed with gzip (.csv.gz), 5 MB or smaller. "
            "Larger files are imported on the server with manage.py import_area_data."
        ),
        error_messages={
            "required": "Choose the file to import",
            "invalid": "Choose the file to import",
            "empty": "The file is empty",
        },
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        upload, code = cleaned.get("file"), cleaned.get("dataset")
        if upload is None or not code:
            return cleaned
        name = (upload.name or "").lower()
        if not name.endswith((".csv", ".csv.gz")):
            self.add_error("file", "The file must be a CSV file (.csv or .csv.gz)")
        elif upload.size > UPLOAD_MAX_BYTES:
            self.add_error(
                "file",
                "The file must be 5 MB or smaller: compress it with gzip (.csv.gz), or import "
                "it on the server with manage.py import_area_data",
            )
        elif upload.size == 0:
            self.add_error("file", "The file is empty")
        else:
            problem = check_upload(readers.DATASETS[code], upload)
            if problem:
                self.add_error("file", problem)
        return cleaned


def check_upload(dataset: readers.Dataset, upload: Any) -> str:
    """What is wrong with the uploaded file as `dataset` ("" if nothing), read as the import
    will read it."""
    suffix = ".csv.gz" if upload.name.lower().endswith(".gz") else ".csv"
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"{Path(upload.name).name.removesuffix(suffix)[:80]}{suffix}"
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        upload.seek(0)
        try:
            readers.read(dataset, path)
        except readers.ImportFileError as exc:
            return f"{exc} Nothing was imported."
        except (csv.Error, UnicodeDecodeError, OSError, EOFError):
            return (
                "The file could not be read as CSV: check it is the official file, saved as "
                "CSV (UTF-8), and not damaged. Nothing was imported."
            )
    return ""
