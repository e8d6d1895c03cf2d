from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from skillspassport.background.cli import add_run_arguments, follow, queued
from skillspassport.targeting import readers
from skillspassport.targeting.imports import area_data_import_start


class Command(BaseCommand):
    help = (
        "Import national open data for area targeting from the official CSV layouts: "
        "every known file under --from DIR, or one --dataset with its --file. Each file is "
        "checked whole first; a bad file is refused naming the row and column, with nothing "
        "stored. Re-importing the same file changes nothing; a new vintage goes beside the old. "
        "Runs here with a progress bar; --wait or --queue hand it to a worker (which must see "
        "the same paths)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="folder", type=Path, help="Folder of national files.")
        parser.add_argument("--dataset", choices=sorted(readers.DATASETS))
        parser.add_argument("--file", type=Path)
        add_run_arguments(parser)

    def handle(
        self, *args: Any, folder: Path | None, dataset: str | None, file: Path | None, **opts: Any
    ) -> None:
        if folder is None and not (dataset and file):
            raise CommandError("Give --from DIR, or --dataset NAME --file PATH.")
        if folder is None and file is not None and not file.exists():
            raise CommandError(f"No such file: {file}")
        files = (
            [
                (code, str((folder / name).resolve()))
                for code, name in readers.NATIONAL_FILES.items()
            ]
            if folder is not None
            else [(dataset or "", str((file or Path()).resolve()))]
        )
        work = area_data_import_start(
            files=files,
            folder=str(folder.resolve()) if folder is not None else None,
            queue=queued(opts),
        )
        work = follow(self, work, options=opts, unit=" files")
        if work.finished and opts["verbosity"] > 0:
            for line in work.result.get("lines", []):
                self.stdout.write(line)
