"""Reads of the imports app for pages, each scoped to its uploader."""

from assessments.models import Assessment
from imports.models import PendingSiteImport


def pending_import_of(
    *, assessment: Assessment, user=None, invite=None
) -> PendingSiteImport | None:
    """The uploader's own upload waiting for confirmation in ``assessment`` (one at most).

    The uploader is a member (``user``) or a customer's invite link (``invite``); nobody
    else sees it, so a member never finds a customer's upload and the reverse.
    """
    if (user is None) == (invite is None):
        raise ValueError("A pending upload belongs to a member or to an invite link.")
    uploader = {"user": user} if user is not None else {"invite": invite}
    return (
        PendingSiteImport.objects.filter(assessment=assessment, **uploader)
        .select_related("assessment")
        .first()
    )
