from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillspassport.skills.framework_files import FrameworkFileError, framework_files
from skillspassport.skills.services import framework_load


class Command(BaseCommand):
    help = "Load skills framework versions from YAML (every shipped version by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="*", type=Path)

    def handle(self, *args: Any, paths: list[Path], **options: Any) -> None:
        for path in paths or framework_files():
            try:
                framework, created = framework_load(path=path)
            except (FrameworkFileError, OSError) as exc:
                raise CommandError(str(exc)) from exc
            state = "loaded" if created else "already loaded"
            self.stdout.write(f"Framework {framework.code} {state}.")
