"""Forms of customer links: the partner shares a version; the customer accepts or asks."""

from django import forms

from assessments.forms import MultilineField
from proposals.links import DEFAULT_VALID_DAYS, MAX_VALID_DAYS


class ProposalLinkForm(forms.Form):
    """Who the link is for, and for how long."""

    contact_name = forms.CharField(label="Contact's name", max_length=120)
    email = forms.EmailField(label="Contact's email")
    valid_days = forms.IntegerField(
        label="Link works for (days)",
        min_value=1,
        max_value=MAX_VALID_DAYS,
        initial=DEFAULT_VALID_DAYS,
        help_text=f"1 to {MAX_VALID_DAYS} days; you can share it again later.",
    )


class AcceptForm(forms.Form):
    """The customer's acceptance: who they are, and the statement ticked."""

    full_name = forms.CharField(
        label="Your full name", max_length=120, error_messages={"required": "Type your full name."}
    )
    title = forms.CharField(
        label="Your job title", max_length=120, error_messages={"required": "Type your job title."}
    )
    agree = forms.BooleanField(
        label="I accept the statement above",
        error_messages={"required": "Tick the box to accept the statement."},
    )
    # The statement as the page showed it: the service checks it is this version's own.
    statement = forms.CharField(widget=forms.HiddenInput, max_length=1000)


class ChangesForm(forms.Form):
    """The customer asks for changes: who they are, and what."""

    full_name = forms.CharField(
        label="Your full name", max_length=120, error_messages={"required": "Type your full name."}
    )
    # Line breaks as LF, so a break counts once against the limit the record keeps.
    comment = MultilineField(
        label="What would you like changed?",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what you would like changed."},
    )
