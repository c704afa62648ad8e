"""Email reminders to invited contacts who have not finished (run from cron)."""

from django.core.management.base import BaseCommand

from invites.reminders import SEND_LIMIT, reminders_send_due


class Command(BaseCommand):
    help = (
        "Email a reminder to each invited contact who has not finished and is due one under "
        "their organisation's policy. Safe to run often and from several hosts at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=SEND_LIMIT,
            help=f"Send at most this many reminders in this run (default {SEND_LIMIT}).",
        )

    def handle(self, *args, **options):
        result = reminders_send_due(limit=max(options["limit"], 0))
        self.stdout.write(
            f"Sent {result.sent} reminder(s); {result.failed} failed "
            "(they are tried again on the next run)."
        )
        # A failure is not an error of the run: the reminders wait for the next one.
