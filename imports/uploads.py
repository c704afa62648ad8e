"""A site list uploaded by a member or a customer: read and kept, then saved once confirmed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpRequest

from assessments.models import Assessment
from assessments.services.versioning import Actor, StaleEditError
from imports.forms import SiteImportForm
from imports.models import PendingSiteImport
from imports.services import site_lists as services


def receive_upload(
    form: SiteImportForm, *, assessment: Assessment, user=None, invite=None
) -> PendingSiteImport | None:
    """Read the valid upload form's file and keep it for its preview, or put why on the form.

    Args:
        form: A bound, valid :class:`SiteImportForm`.
        assessment: Where the sites would go.
        user: The member who uploads, or None for a customer's link.
        invite: The customer's invite link, or None for a member.

    Returns:
        The waiting upload, or None when the file cannot be read (the form says why).
    """
    upload = form.cleaned_data["file"]
    try:
        parsed = services.parse_site_file(
            data=upload.read(), file_name=upload.name, **form.read_options()
        )
    except services.ImportFileError as exc:
        form.add_error("file", str(exc))
        return None
    return services.pending_import_create(
        assessment=assessment, user=user, invite=invite, file_name=upload.name, parsed=parsed
    )


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
