"""A partner's country facts: where its operators sell each way of connecting Teams."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from assessments import presenters
from assessments.views.common import actor_for
from scoring.countries import country_data, country_facts
from tenancy.models import Availability, CountryOverride
from tenancy.permissions import ADMIN_ROLES, member_required
from tenancy.services import countries as services

PUBLISHED_WORDS = {"yes": "Available", "no": "Not available", "unknown": "Not known"}
MODELS = (
    ("operator_connect", "Operator Connect"),
    ("calling_plans", "Calling Plans"),
    ("teams_phone_mobile", "Teams Phone Mobile"),
)


class CountryFactsForm(forms.Form):
    country = LazyTypedChoiceField(choices=countries)
    operator_connect = forms.ChoiceField(
        label="Operator Connect", choices=Availability.choices, required=False
    )
    calling_plans = forms.ChoiceField(
        label="Calling Plans", choices=Availability.choices, required=False
    )
    teams_phone_mobile = forms.ChoiceField(
        label="Teams Phone Mobile", choices=Availability.choices, required=False
    )
    note = forms.CharField(
        max_length=300,
        required=False,
        help_text="Why, e.g. the operator and its offer.",
    )


def _published(code: str) -> list[tuple[str, str]]:
    facts = country_facts(code)
    return [(label, PUBLISHED_WORDS[getattr(facts, name)]) for name, label in MODELS]


@member_required(*ADMIN_ROLES)
def country_facts_page(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    rows = list(CountryOverride.objects.filter(organisation=organisation))
    chosen = request.GET.get("country", "").upper()
    editing = next((r for r in rows if r.country.code == chosen), None)
    if request.method == "POST":
        form = CountryFactsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.country_override_save(
                    organisation=organisation,
                    country=data["country"],
                    facts={name: data[name] for name in services.FACTS},
                    actor=actor_for(request),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                name = dict(countries)[data["country"]]
                if saved is None:
                    messages.success(request, f"{name} follows the published facts again.")
                else:
                    messages.success(
                        request,
                        f"Saved the facts for {name}. Every assessment is scored again with "
                        "them in a moment.",
                    )
                return redirect("tenancy:country-facts")
    elif editing is not None:
        form = CountryFactsForm(
            initial={"country": editing.country.code}
            | {name: getattr(editing, name) for name in services.FACTS}
        )
    else:
        form = CountryFactsForm(initial={"country": chosen} if chosen in countries else None)
    data = country_data()
    return render(
        request,
        "tenancy/country_facts.html",
        {
            "form": form,
            "rows": [
                (
                    row,
                    [(label, getattr(row, name)) for name, label in MODELS],
                    _published(row.country.code),
                )
                for row in rows
            ],
            "editing": editing,
            "as_of": presenters.date_text(date.fromisoformat(data["as_of"])),
            "sources": [s for s in data["sources"] if s.get("url")],
            "availability": dict(Availability.choices),
        },
        status=400 if request.method == "POST" else 200,
    )
