"""The answer choice a question shares with many: yes, no or don't know."""

from django.db import models


class YesNoUnknown(models.TextChoices):
    """A question whose honest answer may be "I don't know" (scored as missing data)."""

    UNKNOWN = "unknown", "Don't know"
    YES = "yes", "Yes"
    NO = "no", "No"


def yes_no_unknown(verbose_name: str, help_text: str) -> models.CharField:
    """A yes / no / don't-know field defaulting to "don't know"."""
    return models.CharField(
        verbose_name,
        max_length=8,
        choices=YesNoUnknown.choices,
        default=YesNoUnknown.UNKNOWN,
        help_text=help_text,
    )
