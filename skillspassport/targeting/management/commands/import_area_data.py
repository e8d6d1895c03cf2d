from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from skillspassport.targeting import readers
from skillspassport.targeting.services import (
    dataset_import,
    geography_import_lsoa11,
    geography_import_lsoa21,
)


class Command(BaseCommand):
    help = (
        "Import national open data for area targeting from the official CSV layouts: "
        "every known file under --from DIR, or one --dataset with its --file. Each file is "
        "checked whole first; a bad file is refused naming the row and column, with nothing "
        "stored. Re-importing the same file changes nothing; a new vintage goes beside the old."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="folder", type=Path, help="Folder of national files.")
        parser.add_argument("--dataset", choices=sorted(readers.DATASETS))
        parser.add_argument("--file", type=Path)

    def handle(
        self, *args: Any, folder: Path | None, dataset: str | None, file: Path | None, **opts: Any
    ) -> None:
        if folder is None and not (dataset and file):
            raise CommandError("Give --from DIR, or --dataset NAME --file PATH.")
        jobs = (
            [(code, folder / name) for code, name in readers.NATIONAL_FILES.items()]
            if folder is not None
            else [(dataset or "", file or Path())]
        )
        quiet = opts["verbosity"] == 0
        say = (lambda text: None) if quiet else self.stdout.write
        if folder is not None and (folder / readers.LSOA21_GEOGRAPHY_FILE).exists():
            try:
                added = geography_import_lsoa21(
                    path=folder / readers.LSOA21_GEOGRAPHY_FILE, folder=folder
                )
                say(f"LSOA 2021 geography: {added} areas added.")
                if (folder / "lookups").is_dir() and (folder / "iuc").is_dir():
                    added = geography_import_lsoa11(folder=folder)
                    say(f"LSOA 2011 geography and lookups: {added} areas added.")
            except readers.ImportFileError as exc:
                raise CommandError(f"{exc} Nothing from this file was imported.") from exc
        for code, path in jobs:
            if not path.exists():
                if folder is None:
                    raise CommandError(f"No such file: {path}")
                say(f"{code}: {path} not found, skipped.")
                continue
            with tqdm(desc=code, unit=" areas", disable=quiet) as bar:
                try:
                    record, outcome = dataset_import(
                        dataset_code=code, path=path, progress=bar.update
                    )
                except readers.ImportFileError as exc:
                    raise CommandError(f"{exc} Nothing from this file was imported.") from exc
            say(f"{record}: {outcome} ({record.areas:,} areas).")
