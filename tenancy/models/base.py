"""Shared model parts: timestamps, optimistic versioning and limited free text."""

from django.core.validators import MaxLengthValidator
from django.db import models

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
