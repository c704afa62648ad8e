"""Refresh every assessment's score summary (after a ruleset upgrade, or to backfill)."""

from django.core.management.base import BaseCommand
from django.db.models import Q

from assessments.models import Assessment
from assessments.services.scores import assessment_rescore
from scoring.ruleset import RULESET_VERSION


class Command(BaseCommand):
    help = "Rescore assessments and store their pipeline summaries."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-only",
            action="store_true",
            help=(
                f"Only those never scored, scored with a ruleset other than {RULESET_VERSION}, "
                "or without stored per-site results (scored before they were kept)."
            ),
        )

    def handle(self, *args, stale_only: bool = False, **options):
        qs = Assessment.objects.order_by("pk")
        if stale_only:
            # A summary stored before the estate's result and each site's were kept (an
            # empty estate) has no per-site rows to read: it is rescored too.
            qs = qs.exclude(
                Q(score_summary__ruleset_version=RULESET_VERSION) & ~Q(score_summary__estate={})
            )
        count = 0
        for pk in qs.values_list("pk", flat=True).iterator():
            assessment_rescore(assessment_id=pk)
            count += 1
        self.stdout.write(f"Rescored {count} assessment(s) with ruleset {RULESET_VERSION}.")
