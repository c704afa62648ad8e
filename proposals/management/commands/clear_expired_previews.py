"""Delete draft proposal previews past their lifetime, with their PDF files (run from cron)."""

from django.core.management.base import BaseCommand

from proposals.services import previews_clean_up


class Command(BaseCommand):
    help = "Delete draft proposal previews older than a day, and their files."

    def handle(self, *args, **options):
        total = 0
        while True:
            # In batches, so a long backlog never holds one long transaction or query.
            deleted = previews_clean_up()
            total += deleted
            if not deleted:
                break
        self.stdout.write(f"Deleted {total} expired preview(s).")
