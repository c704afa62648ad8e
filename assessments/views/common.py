"""Helpers shared by views: who acts, file downloads, how much is answered, stale edits."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from assessments import questions
from assessments.models import Assessment
from assessments.parsing import parse_int
from assessments.services.versioning import Actor, SaveResult, StaleEditError

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


def answered_count(assessment: Assessment) -> tuple[int, int]:
    """How many organisation questions have an answer other than "don't know"."""
    names = questions.names(Assessment)
    done = 0
    for name in names:
        value = getattr(assessment, name)
        if value not in (None, "", "unknown", "undecided"):
            done += 1
    return done, len(names)


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


@dataclass(frozen=True)
class Saved:
    """What became of a posted versioned form: the one reading of a save and its conflict."""

    status: str  # "saved", "unchanged", "invalid" or "conflict"
    result: Any = None  # the service's result when it saved (or found nothing to change)
    conflict: StaleEditError | None = None
    # Fields others changed meanwhile that the page still shows with the old values: it
    # must show the stored ones, or its next autosave writes the old values back.
    refresh: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Whether the edit is stored (saved, or already what was stored)."""
        return self.status in ("saved", "unchanged")

    def version(self, stored: int) -> int:
        """The version the page edits on: after a refusal, the one its author saw.

        "Keep mine" moves it on to the newer version on purpose.
        """
        return self.conflict.current_version if self.conflict else stored


def save_form(form, save, *, valid: bool = True, refused=(ValidationError,), explain=None) -> Saved:
    """Validate a versioned form and save it through its service, reading a refusal.

    Args:
        form: A bound ``VersionedForm`` (its ``version`` field and ``changes()``).
        save: ``save(base_version, changes)`` calling the service.
        valid: Whether the rest of the page (a circuit formset) is valid too.
        refused: The errors that put a message on the form instead of saving.
        explain: ``explain(error) -> str``, the message for a refused value (default: the
            error itself).

    Returns:
        What happened; a conflict carries the fields the page must refresh.
    """
    if not (form.is_valid() and valid):
        return Saved("invalid")
    try:
        result = save(form.cleaned_data["version"], form.changes())
    except StaleEditError as exc:
        clashing = {c.field for c in exc.conflicts}
        others = [f for f in exc.others_changed if f not in clashing]
        return Saved("conflict", conflict=exc, refresh=others)
    except refused as exc:
        form.add_error(None, explain(exc) if explain else exc)
        return Saved("invalid")
    if isinstance(result, SaveResult):
        status = "saved" if result.changed else "unchanged"
        return Saved(status, result=result, refresh=result.others_changed)
    return Saved("saved", result=result)  # a new record


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
    saved = save_form(form, save)
    if saved.conflict is not None:
        conflict_message(request, saved.conflict)
        form.instance.refresh_from_db()
        return None, rebuild(with_version(request.POST, "", saved.conflict.current_version))
    return saved.result, form


def delete_versioned(request: HttpRequest, delete) -> bool:
    """Delete over the version the page posted; False when it changed since (nothing removed).

    Args:
        request: The POST request with the ``version`` its page showed.
        delete: ``delete(base_version)`` calling the service.
    """
    version = posted_version(request)
    if version is None:  # only a forged or mangled form has none: never remove blind
        return False
    try:
        delete(version)
    except StaleEditError:
        return False
    return True


def posted_version(request: HttpRequest) -> int | None:
    """The record version a page posted (None when missing or not a number)."""
    return parse_int(request.POST.get("version", ""), minimum=1)


def bad_request(
    request: HttpRequest, message: str, *, back: str = "/", back_label: str = "Back"
) -> HttpResponse:
    """A 400 page that says what was wrong with the request and where to go back to."""
    context = {"message": message, "back": back, "back_label": back_label}
    return render(request, "400.html", context, status=400)
