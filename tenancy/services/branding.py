"""Writes for a partner's branding that are not plain fields: the logo file."""

import secrets

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from assessments.services.versioning import Actor, record_change
from portal.files import delete_file_on_commit
from tenancy.branding import EXTENSIONS
from tenancy.models import Organisation

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
