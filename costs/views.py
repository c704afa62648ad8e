"""The price-book screens: the book (admins edit, every member reads) and its history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from assessments import presenters
from assessments.cost_story import money
from assessments.services.versioning import StaleEditError
from assessments.views.common import actor_for, conflict_message, with_version
from costs import selectors
from costs.catalogue import notes_field, sections
from costs.forms import PriceBookForm, field_message, initial_values, note_name, price_name
from costs.services import price_book_save
from scoring.price_lines import LINES
from tenancy.models import Role
from tenancy.permissions import member_required


def _is_admin(request: HttpRequest) -> bool:
    return request.membership.role == Role.ADMIN


@member_required()
def price_book(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    editable = _is_admin(request)
    if request.method == "POST" and not editable:
        raise PermissionDenied("Only your organisation's admins change the price book.")
    values = selectors.price_book_values(organisation)
    form = PriceBookForm(request.POST or None, initial=initial_values(values))
    if request.method == "POST" and form.is_valid():
        try:
            saved = price_book_save(
                organisation=organisation,
                base_version=form.cleaned_data["version"],
                currency=form.cleaned_data["currency"],
                prices=form.prices(),
                notes=form.notes(),
                actor=actor_for(request),
            )
        except StaleEditError as exc:
            conflict_message(request, exc)
            values = selectors.price_book_values(organisation)
            form = PriceBookForm(with_version(request.POST, "", exc.current_version))
        except ValidationError as exc:
            # Refused by the service after the form passed (a price kept from before that
            # a new currency's bounds refuse): each message goes beside its own field.
            for name, problems in exc.message_dict.items():
                key = name.partition(":")[0]
                if name == "currency":
                    field = name
                else:
                    field = note_name(key) if name == notes_field(key) else price_name(key)
                for problem in problems:
                    form.add_error(
                        field if field in form.fields else None, field_message(key, problem)
                    )
        else:
            if saved.changed:
                messages.success(
                    request,
                    f"Price book saved as version {saved.version}: results and new proposals "
                    "use these prices.",
                )
            else:
                messages.info(request, "Nothing changed, so the price book keeps its version.")
            return redirect("costs:price-book")
    return render(
        request,
        "costs/price_book.html",
        {
            "organisation": organisation,
            "editable": editable,
            "form": form,
            "book": values["book"],
            "currency": values["currency"],
            "sections": [
                (section, [_row(form, line, values) for line in section.lines])
                for section in sections()
            ],
            "priced": len(values["prices"]),
            "lines": len(LINES),
        },
    )


def _row(form, line, values) -> dict:
    price = values["prices"].get(line.key)
    return {
        "line": line,
        "price_field": form[price_name(line.key)],
        "note_field": form[note_name(line.key)],
        "price": price,
        "price_text": money(price, values["currency"], cents=True),
        "note": values["notes"].get(line.key, ""),
        "bound": money(form.bound_of(line.key), form.data.get("currency") or values["currency"]),
    }


@member_required()
def price_book_history(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation
    page = Paginator(selectors.price_book_changes(organisation), 25).get_page(
        request.GET.get("page")
    )
    entries = [
        {
            "change": change,
            # The first version has no "before": it reads "Currency: GBP", not "EUR → GBP".
            "rows": [
                (
                    presenters.label(None, name),
                    None if change.action == "create" else _shown(name, pair[0]),
                    _shown(name, pair[1]),
                )
                for name, pair in change.fields.items()
            ],
        }
        for change in page.object_list
    ]
    return render(
        request,
        "costs/price_book_history.html",
        {
            "organisation": organisation,
            "page": page,
            "entries": entries,
            "book": selectors.price_book_record(organisation),
        },
    )


def _shown(name: str, value) -> str:
    if value is None or value == "":
        return "not priced" if name in LINES else "blank"
    return str(value)
