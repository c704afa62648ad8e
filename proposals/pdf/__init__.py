"""Proposal PDF rendering: snapshot to context, context to HTML, HTML to PDF bytes."""

from pathlib import Path

from django.conf import settings


def static_root() -> Path:
    """The directory proposals may read from (the repository's static/)."""
    return Path(settings.STATICFILES_DIRS[0]).resolve()
