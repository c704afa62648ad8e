"""How a value reads: one label and one display for every field pages, PDF, logs and emails show."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst

from assessments.models import Assessment, Circuit, CircuitKind, CircuitRole, Customer, Site
from invites.models import Invite
from scoring import ruleset
from scoring.price_lines import PRICE_LINES
from scoring.sources import source_for
from tenancy.models import Membership, Organisation

# The blank mark of a before → after pair and of a sentence ("set it to “blank”"), and of a
# table cell, where a word would be read as an answer: the portal's two established marks.
BLANK = "blank"
EMPTY_CELL = "—"

DATE_FORMAT = "j M Y"  # 30 Jun 2027: the portal's date everywhere people read one
TIME_FORMAT = "H:i"

# Records whose fields the activity log, diffs and conflict messages show, by the
# ``object_type`` an activity-log entry stores (the model's name).
PRESENTED_MODELS: dict[str, type[models.Model]] = {
    m._meta.model_name: m
    for m in (Organisation, Customer, Assessment, Site, Circuit, Invite, Membership)
}

# Entries the log stores that are not model fields: what the pages call them.
PSEUDO_LABELS = {
    "circuits": "Internet lines",
    "sites": "Sites",
    "cloned_from": "Copied from",
    # A price book's lines and their notes ("oc_user_month", "oc_user_month:notes").
    **{line.key: line.label for line in PRICE_LINES},
    **{f"{line.key}:notes": f"{line.label}, note" for line in PRICE_LINES},
}


# What the activity log calls each kind of record it names ("Changed site “Leeds”"), by the
# ``object_type`` an entry stores; "" where the verb says it ("Invited “Priya Patel”").
RECORD_NOUNS = {
    "assessment": "assessment",
    "circuit": "internet line",
    "customer": "customer",
    "invite": "",
    "membership": "member",
    "organisation": "branding of",
    "proposal": "proposal",
    "scenario": "scenario",
    "site": "site",
    # Grid actions over many sites: the verb and the line's label say what they did.
    "gridpaste": "",
    "gridbulk": "",
    "gridundo": "",
    "pricebook": "",  # its label says it: Changed “Price book”
}
# An assessment's own details: what its page edits (title, owner, status) and the dates its
# workflow keeps. Every other field of it is an answer of the questionnaire.
ASSESSMENT_DETAILS = frozenset({"title", "owner", "status", "status_changed_at", "submitted_at"})


# How acronyms and names are written when a label is made from a code name
# ("sbcs_per_route" reads "SBCs per route"), as Microsoft's documentation writes them.
ACRONYMS = {
    "cqd": "CQD",
    "did": "DID",
    "dids": "DIDs",
    "dr": "DR",
    "dscp": "DSCP",
    "fte": "FTE",
    "it": "IT",
    "lte": "LTE",
    "pbx": "PBX",
    "pstn": "PSTN",
    "qos": "QoS",
    "rtt": "RTT",
    "sbc": "SBC",
    "sbcs": "SBCs",
    "sdwan": "SD-WAN",
    "sip": "SIP",
    "tls": "TLS",
    "udp": "UDP",
    "vpn": "VPN",
    "wifi": "Wi-Fi",
}


def words(name: str) -> str:
    """A code name in words, acronyms right: "sbcs_per_route" reads "SBCs per route"."""
    text = " ".join(ACRONYMS.get(w, w) for w in name.split("_"))
    return str(capfirst(text))


def model_for(object_type: str) -> type[models.Model] | None:
    """The model of an activity-log entry's ``object_type`` (None for one no longer known)."""
    return PRESENTED_MODELS.get(object_type)


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def record_noun(
    object_type: str,
    fields: dict[str, Any] | None = None,
    model: type[models.Model] | None = None,
) -> str:
    """What an activity-log entry's record is called in its line: "site", "internet line".

    An edit of an assessment's answers only reads "assessment answers", so that it is
    not taken for a change of the assessment's title, owner or status.

    Args:
        object_type: The ``object_type`` the entry stores (the model's name).
        fields: The entry's changed fields.
        model: The record's model, if known: a kind of record not named here reads as
            the model's ``verbose_name``.

    Returns:
        The noun, lower case as it sits inside a sentence; "" where the verb names the
        record; a type no longer known reads as its name in words.
    """
    if (
        object_type == "assessment"
        and fields
        and all(_field(Assessment, n) and n not in ASSESSMENT_DETAILS for n in fields)
    ):
        return "assessment answers"
    if object_type in RECORD_NOUNS:
        return RECORD_NOUNS[object_type]
    if model is not None:
        return str(model._meta.verbose_name)
    return words(object_type).lower()


def label(model: type[models.Model] | None, name: str) -> str:
    """The label people read for a field: its ``verbose_name``, first letter capital.

    The forms label their fields the same way (Django's ``capfirst``), so a form and the
    activity log name a field in the same words; the rest of the label, acronyms and
    units included ("QoS (DSCP)", "Down (Mbps)"), is kept as the model writes it.

    Args:
        model: The record's model, or None when it is not known.
        name: The field's name, or a pseudo-field the log stores (``circuits``).

    Returns:
        The label; a field no model knows reads as its name in words.
    """
    field = _field(model, name)
    if field is not None:
        return str(capfirst(field.verbose_name))
    return PSEUDO_LABELS.get(name) or words(name)


def date_text(value: date | datetime | str | None) -> str:
    """A date as people read it: "30 Jun 2027" (empty for none)."""
    if isinstance(value, str):
        value = _parse_moment(value)
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return dateformat.format(value, DATE_FORMAT)


def datetime_text(value: datetime | str | None) -> str:
    """A moment as people read it: "30 Jun 2027, 14:05 UTC", in the portal's time zone."""
    if isinstance(value, str):
        value = _parse_moment(value)
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return date_text(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    local = timezone.localtime(value)
    return dateformat.format(local, f"{DATE_FORMAT}, {TIME_FORMAT} T")


def _parse_moment(text: str) -> date | datetime | None:
    try:
        return parse_datetime(text) or parse_date(text)
    except ValueError:
        return None


def number_text(value: int | float | Decimal | str, *, significant: int | None = None) -> str:
    """A number as people read it: "1,500", "12.5", "0.25" (no trailing zeros, no exponent).

    Args:
        value: The number (or a number as text, as the log stores decimals).
        significant: Round a fraction to this many significant digits, never fewer than
            its whole part has (measured figures in a table: more is noise). Diffs keep
            every digit, or a change could read "45.7 → 45.7".

    Returns:
        The text.
    """
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except InvalidOperation:
            return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if significant and isinstance(value, float | Decimal) and value == value:  # not NaN
        digits = max(significant, len(f"{abs(value):.0f}"))
        # Rounded as the float is stored (1.485 is just over: 1.49, where a decimal's
        # half-even rounding would say 1.48), so tables keep the figures they showed.
        value = Decimal(f"{value:.{digits}g}")
    elif isinstance(value, float):
        value = Decimal(repr(value))  # the shortest text that is this float
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        if value == value.to_integral():
            value = int(value)
        else:
            return f"{value.normalize():,f}"
    return f"{value:,}"


def circuits_text(rows: list[dict[str, Any]]) -> str:
    """Internet lines as people read them: "Primary 100/20 Mbps, Dedicated internet (fibre)"."""
    if not rows:
        return "none"
    roles, kinds = dict(CircuitRole.choices), dict(CircuitKind.choices)
    parts = []
    for r in rows:
        speed = "/".join(
            number_text(r[k]) if r.get(k) is not None else "?" for k in ("down_mbps", "up_mbps")
        )
        kind = kinds.get(r.get("kind"), r.get("kind") or "")
        provider = f", {r['provider']}" if r.get("provider") else ""
        parts.append(f"{roles.get(r.get('role'), r.get('role'))} {speed} Mbps, {kind}{provider}")
    return "; ".join(parts)


def display(
    model: type[models.Model] | None,
    name: str,
    value: Any,
    *,
    blank: str = BLANK,
    significant: int | None = None,
    choices: Iterable[tuple[Any, Any]] | None = None,
) -> str:
    """A field's value as people read it: choices by label, dates, numbers, lines in words.

    Takes the value as the model holds it or as the log and snapshots store it (an ISO
    date, a number as text), so every place shows one value the same way.

    Args:
        model: The record's model, or None when it is not known.
        name: The field's name, or a pseudo-field the log stores (``circuits``).
        value: The value.
        blank: What an empty value reads as (``EMPTY_CELL`` in tables).
        significant: Significant digits of a fraction (see ``number_text``).
        choices: The labels to read a choice by where they are not the model field's
            (the customer's wording of a question).

    Returns:
        The text; the unit is in the field's label ("Down (Mbps)"), so not repeated here.
    """
    if value is None or value == "" or value == []:
        return blank
    if isinstance(value, list):
        if isinstance(value[0], dict):
            return circuits_text(value)
        return ", ".join(str(v) for v in value)
    if hasattr(value, "code"):  # django-countries Country: its name, by the choices below
        value = value.code
    field = _field(model, name)
    if choices is None and field is not None and field.choices:
        choices = field.flatchoices
    if choices:
        return str(dict(choices).get(value, value))
    if isinstance(field, models.DateTimeField) or isinstance(value, datetime):
        return datetime_text(value) or str(value)
    if isinstance(field, models.DateField) or isinstance(value, date):
        return date_text(value) or str(value)
    if isinstance(value, bool) or isinstance(field, models.BooleanField):
        return "Yes" if value in (True, "true", "True") else "No"
    if isinstance(value, int | float | Decimal) or (
        isinstance(value, str)
        and isinstance(field, models.IntegerField | models.FloatField | models.DecimalField)
    ):
        return number_text(value, significant=significant)
    return str(value)


def change_rows(object_type: str, fields: dict[str, Any]) -> list[tuple[str, str, str]]:
    """An activity-log entry's changes as (label, before, after), as people read them."""
    if object_type in RECORD_NOUNS and not RECORD_NOUNS[object_type] and "sites" in (fields or {}):
        return []  # a grid action lists the site versions it made: its sites' lines show them
    model = model_for(object_type)
    rows = []
    for name, pair in (fields or {}).items():
        old, new = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        rows.append((label(model, name), display(model, name, old), display(model, name, new)))
    return rows


def thresholds_used() -> list[dict[str, Any]]:
    """The thresholds of the current ruleset that the proposal cites, with their sources.

    Returns:
        Dicts with ``name``, ``value`` (as printed), ``section`` (the rule's, which the
        engine maps to its page) and ``source``: the Microsoft page (``title``, ``url``),
        or ``None`` for portal policy.
    """
    r = ruleset
    rows = [
        ("Client to Microsoft round trip", f"< {r.CLIENT_RTT_MAX_MS:g} ms", "§2.1"),
        ("Client jitter", f"< {r.CLIENT_JITTER_MAX_MS:g} ms", "§2.1"),
        ("Client packet loss", f"< {r.CLIENT_LOSS_MAX_PCT:g} %", "§2.1"),
        ("Client packet reorder", f"< {r.CLIENT_REORDER_MAX_PCT:g} %", "§2.1"),
        ("Customer edge to Microsoft round trip", f"< {r.EDGE_RTT_MAX_MS:g} ms", "§2.1"),
        ("Customer edge jitter", f"< {r.EDGE_JITTER_MAX_MS:g} ms", "§2.1"),
        ("Customer edge packet loss", f"< {r.EDGE_LOSS_MAX_PCT:g} %", "§2.1"),
        ("Customer edge packet reorder", f"< {r.EDGE_REORDER_MAX_PCT:g} %", "§2.1"),
        ("Poor call: round trip", f"> {r.POOR_RTT_MS:g} ms", "§3.3"),
        ("Poor call: packet loss", f"> {r.POOR_LOSS_PCT:g} %", "§3.3"),
        ("Poor call: jitter", f"> {r.POOR_JITTER_MS:g} ms", "§3.3"),
        ("Audio per call (recommended)", f"{r.AUDIO_KBPS_REC[0]} kbps each way", "§2.2"),
        (
            "Video meeting per endpoint (recommended)",
            f"{r.VIDEO_MEETING_KBPS_REC[0] / 1000:g} up / {r.VIDEO_MEETING_KBPS_REC[1] / 1000:g}"
            " down Mbps",
            "§2.2",
        ),
        (
            "Screen sharing per endpoint (recommended)",
            f"{r.SHARING_MEETING_KBPS_REC[0] / 1000:g} Mbps each way",
            "§2.2",
        ),
        ("Teams Room bandwidth policy", f"at least {r.TEAMS_ROOM_KBPS / 1000:g} Mbps", "§2.2"),
        ("Share of a link for real-time media", f"{r.ALLOWED_SHARE:.0%}", "§3.1"),
        ("Peak concurrency when not given", f"{r.DEFAULT_PEAK_CONCURRENCY_PCT} % of users", "§3.1"),
        ("Ready from", f"{r.READY_FROM} / 100", "portal policy"),
        ("Not ready below", f"{r.NOT_READY_BELOW} / 100", "portal policy"),
        ("SBCs per route (Direct Routing)", f"at least {r.SBCS_PER_ROUTE}", "§4.2"),
        ("Calling Plan markets", f"{len(r.CALLING_PLAN_COUNTRIES)} countries", "§1.7"),
        ("QoS markings", "audio EF 46, video AF41 34, sharing AF21 18", "§2.3"),
        ("Media ports to Microsoft", "UDP 3478-3481", "§2.4"),
    ]
    return [{"name": n, "value": v, "section": s, "source": _page(s)} for n, v, s in rows]


def _page(section: str) -> dict[str, str] | None:
    page = source_for(section)
    return {"title": page.title, "url": page.url} if page else None
