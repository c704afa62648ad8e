"""Saving a previewed upload the user confirmed, and telling them why nothing was saved."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest

from assessments.services.versioning import Actor, StaleEditError
from imports.models import PendingSiteImport
from imports.services import site_lists as services


def confirm_upload(
    request: HttpRequest, pending: PendingSiteImport, *, actor: Actor, again: str
) -> services.ImportOutcome | None:
    """Save ``pending`` as its preview showed it, or say why not and return None.

    Members and customers confirm an upload alike; only the verb of the button they press
    again (``again``: "import", "save") differs. The form posts the preview's upload id,
    plan fingerprint, and the choices it showed (skip rejected rows, blanks clear).
    """
    try:
        return services.pending_import_commit(
            pending=pending,
            upload=request.POST.get("upload", ""),
            fingerprint=request.POST.get("fingerprint", ""),
            actor=actor,
            skip_rejected=request.POST.get("skip_rejected") == "1",
            blank_clears=request.POST.get("blanks") == "clear",
        )
    except services.SupersededUploadError:
        # Another tab uploaded a newer file since this preview was shown.
        messages.warning(
            request,
            "Nothing was saved: a newer file was uploaded since that page was shown. "
            f"Check this one, then {again}.",
        )
    except services.ImportBlockedError:
        messages.error(request, "Nothing was saved: correct the problems listed first.")
    except (services.StalePreviewError, StaleEditError, IntegrityError, ValidationError):
        messages.warning(
            request,
            "Nothing was saved: the sites changed since this preview was made (someone else "
            f"edited them). Check the updated preview, then {again} again.",
        )
    return None
