"""Shared model parts: timestamps, optimistic versioning, limited free text, link lifetimes."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

# The one limit of free text (notes) everywhere: forms (maxlength), the JSON document
# (maxLength), the site import (its cell limit) and the models' own validation.
NOTES_MAX_LENGTH = 5_000


class TimeStamped(models.Model):
    """Adds when a row was created and last changed."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Versioned(TimeStamped):
    """A record two people can edit: every save bumps ``version`` (see services/versioning.py)."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


def limited_text(verbose_name: str = "", *, max_length: int = NOTES_MAX_LENGTH, **kwargs):
    """Free text with a limit the model enforces (a TextField's max_length alone is only a hint).

    Django puts a TextField's ``max_length`` on form widgets but never validates it;
    the validator makes ``full_clean`` (and so every service, the API and the import)
    refuse longer text.
    """
    return models.TextField(
        verbose_name or None,
        blank=True,
        max_length=max_length,
        validators=[MaxLengthValidator(max_length)],
        **kwargs,
    )


class LinkLifetime:
    """A customer link that expires, or is revoked (the model has ``expires_at``, ``revoked_at``).

    Shared by invite links and proposal links, so both read "active", "expired" and
    "revoked" the same way.
    """

    @property
    def is_revoked(self) -> bool:
        """Whether the partner stopped this link."""
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        """Whether the link's time is up."""
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        """Whether the link still works."""
        return not self.is_revoked and not self.is_expired

    @property
    def status(self) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.is_revoked:
            return "revoked"
        if self.is_expired:
            return "expired"
        return "active"
