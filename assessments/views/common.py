"""Helpers shared by views: who acts, file downloads, and how a refused stale edit is explained."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from assessments.parsing import parse_int
from assessments.services.versioning import Actor, StaleEditError

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_SEARCH = 100  # characters a search box takes: more than any name a person would type


def actor_for(request: HttpRequest) -> Actor:
    """The logged-in user as the author of an edit."""
    return Actor.for_user(request.user)


def file_download(content: bytes, file_name: str, content_type: str) -> HttpResponse:
    """``content`` as an attachment named ``file_name``, never displayed or sniffed."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def conflict_message(request: HttpRequest, error: StaleEditError) -> None:
    """Tell the user what someone else changed, so they can choose what to keep."""
    if not error.conflicts:
        messages.error(request, "Someone changed this while you were editing. Nothing was saved.")
        return
    parts = [
        f"{c.label}: {c.by} set it to “{c.theirs_shown}”, you entered “{c.yours_shown}”"
        for c in error.conflicts
    ]
    messages.error(
        request,
        "Not saved: someone else changed the same answers since you opened this page. "
        + "; ".join(parts)
        + ". Their values are now on the form where you did not type; save again to keep yours.",
    )


def with_version(data, prefix: str, version: int):
    """A copy of posted data re-based on ``version`` (saving again keeps the posted values)."""
    data = data.copy()
    data[f"{prefix}version" if prefix else "version"] = str(version)
    return data


def save_versioned(request: HttpRequest, form, save, rebuild):
    """Save a valid versioned form; explain a stale edit or a refused value instead.

    Args:
        request: The POST request.
        form: A valid ``VersionedForm``.
        save: ``save(base_version, changes)`` calling the service; returns its result.
        rebuild: ``rebuild(data)`` making the same form from posted data re-based on the
            newer version (after a conflict, saving again keeps the posted values).

    Returns:
        ``(result, form)``: the service's result (None when nothing was saved) and the
        form to show again.
    """
    try:
        return save(form.cleaned_data["version"], form.changes()), form
    except StaleEditError as exc:
        conflict_message(request, exc)
        form.instance.refresh_from_db()
        return None, rebuild(with_version(request.POST, "", exc.current_version))
    except ValidationError as exc:
        form.add_error(None, exc)
        return None, form


def posted_version(request: HttpRequest) -> int | None:
    """The record version a page posted (None when missing or not a number)."""
    return parse_int(request.POST.get("version", ""), minimum=1)


def bad_request(
    request: HttpRequest, message: str, *, back: str = "/", back_label: str = "Back"
) -> HttpResponse:
    """A 400 page that says what was wrong with the request and where to go back to."""
    context = {"message": message, "back": back, "back_label": back_label}
    return render(request, "400.html", context, status=400)
