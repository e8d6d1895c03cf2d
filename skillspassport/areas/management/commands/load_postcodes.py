from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from skillspassport.areas.services import SHIPPED_POSTCODES, postcodes_load


class Command(BaseCommand):
    help = "Load the postcode → LSOA/ward/local authority lookup (the shipped one by default)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", type=Path, default=SHIPPED_POSTCODES)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        with tqdm(desc="postcodes", unit=" rows", disable=options["verbosity"] < 1) as bar:

            def advance(rows: int) -> None:
                bar.update(rows)

            count = postcodes_load(path=path, progress=advance)
        self.stdout.write(self.style.SUCCESS(f"Loaded {count} postcodes from {path.name}."))
