"""Write a stored assessment as the versioned JSON document."""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments.models import Assessment
from assessments.services.documents import assessment_export


class Command(BaseCommand):
    help = "Export an assessment (by id) as a teams-readiness-assessment JSON document."

    def add_arguments(self, parser):
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("-o", "--output", help="File to write (default: standard output).")

    def handle(self, *args, assessment_id: int, output: str | None = None, **options):
        assessment = Assessment.objects.select_related("customer").filter(pk=assessment_id).first()
        if assessment is None:
            raise CommandError(f"There is no assessment with id {assessment_id}.")
        text = json.dumps(assessment_export(assessment), indent=2, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(text + "\n")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text)
