"""The deal form: stage, value in a currency, seats, and why a lost deal was lost."""

import re
from decimal import Decimal, InvalidOperation

from django import forms

from deals.models import MAX_DEAL_VALUE, MAX_SEATS, Currency, LostReason, Stage

# Grouping people type in amounts: spaces (also no-break and thin) and apostrophes (Swiss).
_GROUPING = re.compile(r"[\s\u00a0\u202f']")
# One decimal separator, either sign, followed by at most two digits: "12500,5" and
# "12500.50" are certain; "12,500" could be twelve and a half or twelve thousand five
# hundred, so it is refused rather than guessed.
_AMOUNT = re.compile(r"^(\d+)(?:[.,](\d{1,2}))?$")


class AmountField(forms.CharField):
    """A money amount typed as people do in any locale, refused when it is ambiguous."""

    def clean(self, value):
        """The amount as a Decimal, ``None`` when blank."""
        text = _GROUPING.sub("", super().clean(value) or "")
        if not text:
            return None
        match = _AMOUNT.match(text)
        if not match:
            raise forms.ValidationError(
                "Write the amount as digits with at most one decimal mark and two decimals, "
                "for example 125000 or 125000,50 (no thousands separator but spaces)."
            )
        try:
            amount = Decimal(f"{match[1]}.{match[2] or '0'}")
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            raise forms.ValidationError("That is not an amount.") from None
        if amount > MAX_DEAL_VALUE:
            raise forms.ValidationError(
                f"That is more than {MAX_DEAL_VALUE:,.0f}: check the number of zeros."
            )
        return amount


class DealForm(forms.Form):
    """A deal as its people move it; ``version`` is the one the form was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    stage = forms.ChoiceField(choices=Stage.choices)
    value = AmountField(
        label="Deal value",
        required=False,
        max_length=30,
        help_text="What the customer would sign for, typed, or taken from the cost section.",
    )
    currency = forms.ChoiceField(choices=Currency.choices)
    seats = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=MAX_SEATS,
        help_text="Users who get Teams Phone; blank counts the users of the sites.",
    )
    lost_reason = forms.ChoiceField(
        label="Why it was lost",
        help_text="Only for a lost deal.",
        choices=[("", "—"), *LostReason.choices],
        required=False,
    )
    note = forms.CharField(max_length=300, required=False, widget=forms.TextInput)

    def clean(self):
        """A lost deal needs its reason."""
        data = super().clean()
        if data.get("stage") == Stage.LOST and not data.get("lost_reason"):
            self.add_error("lost_reason", "Say why the deal was lost.")
        return data


class SavedFilterForm(forms.Form):
    """A name for the pipeline's current filters."""

    name = forms.CharField(max_length=60)
