"""The deal form: stage, value in a currency, seats, and why a lost deal was lost."""

from decimal import Decimal

from django import forms

from costs.forms import AmountField as PriceField
from deals.models import MAX_DEAL_VALUE, MAX_SEATS, Currency, LostReason, Stage


class AmountField(PriceField):
    """A deal value typed as partners type prices (``costs.amounts``), never negative or absurd."""

    def validate(self, value: Decimal | None) -> None:  # noqa: D102
        super().validate(value)
        if value is None:
            return
        if value < 0:
            raise forms.ValidationError("A deal value cannot be negative.")
        if value.as_tuple().exponent < -2:  # type: ignore[operator]
            raise forms.ValidationError("Give the amount with at most two decimals.")
        if value > MAX_DEAL_VALUE:
            raise forms.ValidationError(
                f"That is more than {MAX_DEAL_VALUE:,.0f}: check the number of zeros."
            )


class DealForm(forms.Form):
    """A deal as its people move it; ``version`` is the one the form was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    stage = forms.ChoiceField(choices=Stage.choices)
    value = AmountField(
        label="Deal value",
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
