"""A partner's branding that is not plain fields: the logo file, stored and read back."""

import base64
import logging
import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from assessments.services.versioning import Actor, record_change
from portal.files import StorageUnavailable, delete_file_on_commit
from tenancy.branding import EXTENSIONS, logo_problem, sniff_image_type
from tenancy.models import Organisation

logger = logging.getLogger(__name__)

LOGO_UNAVAILABLE = "The file store did not answer, so the logo could not be read."
LOGO_NOT_STORED = (
    "The logo could not be stored just now (the file store did not answer), so nothing was "
    "saved. Try again in a minute."
)


@transaction.atomic
def organisation_logo_set(
    *, organisation: Organisation, data: bytes | None, mime: str | None, actor: Actor
) -> str:
    """Store a checked logo (or remove it) and log the change as a new branding version.

    Args:
        organisation: The partner organisation.
        data: The logo bytes as returned by ``branding.validate_logo`` (an SVG already
            sanitised), or ``None`` to remove the logo.
        mime: Its MIME type.
        actor: Who changes it.

    Returns:
        The stored file name, or ``""`` when removed.

    Raises:
        ValidationError: The file store did not take the logo; nothing was changed.
    """
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    old = locked.logo.name or ""
    # The replaced file goes once this change commits: proposals carry their own copy of
    # the logo, and the logo's address names the organisation, not the file.
    delete_file_on_commit(locked.logo)
    if data is None:
        locked.logo = ""
    else:
        # A fresh random name: browsers and the brand CSS cache the old one for a day.
        name = f"{locked.slug}-{secrets.token_urlsafe(8)}.{EXTENSIONS[mime]}"
        try:
            locked.logo.save(name, ContentFile(data), save=False)
        except OSError as exc:
            raise ValidationError(LOGO_NOT_STORED) from exc
    locked.version += 1
    locked.save(update_fields=["logo", "version", "updated_at"])
    record_change(
        assessment=None,
        obj=locked,
        action="update",
        changed={"logo": [old, locked.logo.name or ""]},
        actor=actor,
    )
    organisation.logo.name = locked.logo.name
    organisation.version = locked.version
    return locked.logo.name or ""


def organisation_logo(organisation: Organisation) -> tuple[str, str]:
    """The organisation's logo as a ``data:`` URI, and why it is left out when it is.

    Args:
        organisation: The partner organisation.

    Returns:
        A base64 ``data:`` URI of the PNG, JPEG or (sanitised) SVG logo, or ``""``; and
        ``""`` or the reason a stored logo is left out (unreadable, or over today's limits,
        such as an SVG stored before the drawing budget existed).
    """
    if not organisation.logo:
        return "", ""
    try:
        with organisation.logo.open("rb") as handle:
            data = handle.read()
    except StorageUnavailable:
        logger.warning("Logo of organisation %s: the file store did not answer", organisation.pk)
        return "", LOGO_UNAVAILABLE
    except (OSError, ValueError):
        logger.warning("Logo of organisation %s cannot be read", organisation.pk)
        return "", "The logo file cannot be read; upload it again."
    problem = logo_problem(data)
    if problem:
        logger.warning("Logo of organisation %s left out: %s", organisation.pk, problem)
        return "", f"{problem} Upload the logo again."
    return f"data:{sniff_image_type(data)};base64,{base64.b64encode(data).decode()}", ""
