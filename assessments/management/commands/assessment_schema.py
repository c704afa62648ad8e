"""Write or check the assessment document's JSON Schema, generated from the question catalogue."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.document_schema import schema_text
from assessments.schema.document import SCHEMA_PATH


class Command(BaseCommand):
    help = (
        "Print the JSON Schema of the assessment document as the question catalogue and the "
        "models make it; --write stores it in the repository, --check fails when the stored "
        "file is not current."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--write", action="store_true", help="Write the schema file.")
        action.add_argument(
            "--check", action="store_true", help="Exit with an error if the file is not current."
        )
        parser.add_argument(
            "--file",
            type=Path,
            default=SCHEMA_PATH,
            help=f"The schema file (default: {SCHEMA_PATH}).",
        )

    def handle(self, *args, write: bool, check: bool, file: Path, **options):
        text = schema_text()
        if write:
            file.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {file}")
        elif check:
            stored = file.read_text(encoding="utf-8") if file.exists() else ""
            if stored != text:
                raise CommandError(
                    f"{file} is not what the question catalogue makes: run "
                    "`python manage.py assessment_schema --write` and commit it."
                )
            self.stdout.write(f"{file} is current.")
        else:
            self.stdout.write(text, ending="")
