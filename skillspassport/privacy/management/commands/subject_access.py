from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from skillspassport.privacy.management.common import (
    add_operator_argument,
    operator,
    resident_by_public_id,
)
from skillspassport.privacy.services import subject_access_export


class Command(BaseCommand):
    help = (
        "Everything held about one resident (a subject access request): a readable text "
        "document, or with --json the machine-readable export. Recorded in the audit log."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("public_id", help="The resident's id (the UUID in their page's URL).")
        parser.add_argument("--json", action="store_true", help="Write JSON instead of text.")
        parser.add_argument(
            "--output", metavar="FILE", default="", help="Write to FILE instead of the screen."
        )
        add_operator_argument(parser)

    def handle(
        self, *args: Any, public_id: str, json: bool, output: str, by: str, **options: Any
    ) -> None:
        resident = resident_by_public_id(public_id)
        user = operator(by)
        export = subject_access_export(
            user=user,
            resident=resident,
            file_format="JSON, command line" if json else "text, command line",
        )
        if json:
            text = export.as_json() + "\n"
        else:
            lines = [
                f"Personal data held about resident {resident.public_id}",
                f"Organisation responsible: {resident.organisation.name}",
                f"Produced: {export.generated_at.isoformat(timespec='seconds')}",
            ]
            for section in export.sections:
                lines += ["", section.section.title, "=" * len(section.section.title)]
                if not section.records:
                    lines.append("None held.")
                for number, record in enumerate(section.records, start=1):
                    if len(section.records) > 1:
                        lines.append(f"-- {number} of {len(section.records)}")
                    lines += [f"{label}: {value}" for label, value in record.shown]
            text = "\n".join(lines) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Written to {output}.")
        else:
            self.stdout.write(text, ending="")
