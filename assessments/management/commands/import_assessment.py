"""Create an assessment from a versioned JSON document."""

import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.schema.document import DocumentError, parse_json
from assessments.services.documents import assessment_import
from assessments.services.versioning import Actor
from tenancy.models import Membership


class Command(BaseCommand):
    help = "Import a teams-readiness-assessment JSON document as a new assessment."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The document ('-' for standard input).")
        parser.add_argument("--owner", required=True, help="Username of the owner.")

    def handle(self, *args, file: str, owner: str, **options):
        user = get_user_model().objects.filter(username=owner).first()
        if user is None:
            raise CommandError(f"There is no user {owner!r}.")
        membership = Membership.objects.filter(user=user).select_related("organisation").first()
        if membership is None:
            raise CommandError(f"{owner!r} does not belong to a partner organisation.")
        data = _read_json(file)
        try:
            assessment = assessment_import(
                organisation=membership.organisation,
                owner=user,
                document=data,
                actor=Actor(label=f"{owner} (import)", user=user),
            )
        except DocumentError as exc:
            raise CommandError("Not imported:\n  " + "\n  ".join(exc.errors)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported assessment {assessment.pk}: {assessment} "
                f"({assessment.sites.count()} sites)."
            )
        )


def _read_json(file: str):
    """The parsed JSON of ``file``, or a CommandError that says what is wrong."""
    try:
        if file == "-":
            text = sys.stdin.read()
        else:
            with open(file, encoding="utf-8") as fh:
                text = fh.read()
    except OSError as exc:
        raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
    except UnicodeDecodeError as exc:
        raise CommandError(f"{file} is not UTF-8 text.") from exc
    try:
        return parse_json(text)
    except DocumentError as exc:
        raise CommandError(f"{file} is refused: {exc.errors[0]}.") from exc
