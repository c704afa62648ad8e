"""A partner organisation's price book: its currency and one price (and note) per catalogue line."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from costs.currencies import CHOICES, DEFAULT
from scoring.price_lines import LINES, price_problem
from tenancy.models import Organisation, Versioned, limited_text

# A note says where a figure comes from ("list price less 12 %, quote Q-1234"): a line or two.
NOTE_MAX_LENGTH = 300


class PriceBook(Versioned):
    """The prices one partner sells at, kept like its branding: every saved change is a version.

    Each version's changes (line by line, old and new) are in the activity log, with who and
    when; the proposal freezes the figures it printed, so a later version never changes it.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="price_book"
    )
    currency = models.CharField(max_length=3, choices=CHOICES, default=DEFAULT)
    # Who saved the current version, as people read it (the log keeps every earlier one).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by_name = models.CharField(max_length=160, blank=True)

    def __str__(self) -> str:
        return "Price book"


class PriceBookLine(models.Model):
    """One line of a price book: a price (blank: not priced) and the partner's note on it.

    Only lines with a price or a note are stored; a catalogue line without a row is not
    priced, which the cost figures show as such (never as free).
    """

    book = models.ForeignKey(PriceBook, on_delete=models.CASCADE, related_name="lines")
    key = models.CharField(max_length=40)
    price = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    notes = limited_text(max_length=NOTE_MAX_LENGTH)

    class Meta:
        ordering = ["book", "key"]
        constraints = [
            models.UniqueConstraint(fields=["book", "key"], name="price_line_unique_key"),
            # A price is never negative, whichever way it was written.
            models.CheckConstraint(
                condition=models.Q(price__isnull=True) | models.Q(price__gte=0),
                name="price_line_not_negative",
            ),
        ]

    def __str__(self) -> str:
        line = LINES.get(self.key)
        return line.label if line else self.key

    def clean(self) -> None:
        """Refuse a line the catalogue does not know, and a price it would refuse."""
        if self.key not in LINES:
            raise ValidationError({"key": f"“{self.key}” is not a line of the price catalogue."})
        problem = price_problem(self.key, self.price, self.book.currency)
        if problem:
            raise ValidationError({"price": problem})
