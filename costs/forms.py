"""The price-book form: the currency, and a price and a note for every line of the catalogue."""

from decimal import Decimal
from typing import Any

from django import forms

from costs.amounts import AmountError, parse_amount
from costs.currencies import CHOICES
from costs.models import NOTE_MAX_LENGTH
from scoring.price_lines import LINES, PRICE_LINES, price_problem, upper_bound


def price_name(key: str) -> str:
    return f"price_{key}"


def note_name(key: str) -> str:
    return f"note_{key}"


def field_message(key: str, problem: str) -> str:
    """A catalogue message as it reads beside its own field (without the line's label)."""
    prefix = f"{LINES[key].label}: " if key in LINES else ""
    text = problem.removeprefix(prefix)
    return text[:1].upper() + text[1:]


class AmountField(forms.CharField):
    """A price as partners type it (see ``costs.amounts``); blank means "not priced".

    A text box, not ``type=number``: browsers refuse decimal commas and currency signs there.
    """

    def __init__(self, **kwargs: Any):
        super().__init__(required=False, max_length=None, **kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # noqa: D102
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_amount(text)
        except AmountError as exc:
            raise forms.ValidationError(str(exc)) from None

    def widget_attrs(self, widget):  # noqa: D102
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "40"})
        return attrs


class BasePriceBookForm(forms.Form):
    """Checks every price against its line's bounds in the chosen currency."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    currency = forms.ChoiceField(
        choices=CHOICES, help_text="Every price of the book is in this currency."
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        currency = data.get("currency")
        if not currency:
            return data
        for line in PRICE_LINES:
            name = price_name(line.key)
            if name in self.errors:
                continue
            problem = price_problem(line.key, data.get(name), currency)
            if problem:
                self.add_error(name, field_message(line.key, problem))
        return data

    def prices(self) -> dict[str, Decimal | None]:
        """The price of every line, ``None`` where it is left blank."""
        return {line.key: self.cleaned_data.get(price_name(line.key)) for line in PRICE_LINES}

    def notes(self) -> dict[str, str]:
        """The note of every line."""
        return {line.key: self.cleaned_data.get(note_name(line.key), "") for line in PRICE_LINES}

    def rows(self, key: str) -> tuple[forms.BoundField, forms.BoundField]:
        """The price and note fields of one line, for the template."""
        return self[price_name(key)], self[note_name(key)]

    def bound_of(self, key: str) -> Decimal:
        """The largest price the line accepts in the form's currency (shown as a hint)."""
        currency = self.data.get("currency") or self.initial.get("currency") or "EUR"
        return upper_bound(LINES[key], str(currency))


def _line_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for line in PRICE_LINES:
        fields[price_name(line.key)] = AmountField(label=line.label, help_text=line.help)
        fields[note_name(line.key)] = forms.CharField(
            label=f"Note on {line.label}",
            required=False,
            max_length=NOTE_MAX_LENGTH,
            widget=forms.TextInput(attrs={"placeholder": "Where the figure comes from"}),
        )
    return fields


# One field per catalogue line, declared on the class so every form check sees them all.
PriceBookForm = type("PriceBookForm", (BasePriceBookForm,), _line_fields())


def initial_values(values: dict[str, Any]) -> dict[str, Any]:
    """The form's initial data from ``selectors.price_book_values``."""
    initial: dict[str, Any] = {"version": values["version"], "currency": values["currency"]}
    for key, price in values["prices"].items():
        initial[price_name(key)] = f"{price:.2f}"
    for key, note in values["notes"].items():
        initial[note_name(key)] = note
    return initial
