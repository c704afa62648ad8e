"""The appendix: the answers given, site by site in short tables, thresholds and assumptions."""

from __future__ import annotations

import re
from typing import Any

from assessments import presenters, questions
from assessments.models import Assessment, Site
from proposals.pdf.plain import plain
from proposals.pdf.sections.sites import COMPACT_FROM_SITES
from proposals.pdf.sections.sources import page_for
from scoring.inputs import circuit_order
from scoring.ruleset import CONFIRM_EFFORT


def _answers(document: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (
            presenters.label(Assessment, name),
            presenters.display(Assessment, name, value, blank=presenters.EMPTY_CELL, significant=3),
        )
        for name, value in document.get("answers", {}).items()
    ]


# The appendix's site tables: their columns, order and short labels are the catalogue's.
SITE_TABLES = questions.appendix_tables()


# Short answers for the site tables of the appendix: 100 sites fit on far fewer pages.
BYPASS_SHORT = {"none": "None", "bypassed": "Bypassed", "through": "Through"}
SHORT_CHOICES: dict[str, dict[str, str]] = {
    "internet_breakout": {"local": "Local", "backhaul": "Backhaul"},
    "proxy": BYPASS_SHORT,
    "vpn": BYPASS_SHORT,
    "qos": {"end_to_end": "End to end", "partial": "Partly", "none": "None"},
    "wifi": {
        "enterprise_5ghz": "5 GHz, managed",
        "managed_24ghz": "2.4 GHz",
        "unmanaged": "Unmanaged",
        "wired_only": "Wired only",
    },
    "regulation": {"toll_bypass": "Toll bypass", "other": "Other", "none": "None"},
    "measurement_tool": {"nat": "NAT", "connectivity": "M365 test", "cqd": "CQD"},
}


def _short_answer(name: str, value: Any) -> str:
    if value == "unknown":
        return "Unknown"
    short = SHORT_CHOICES.get(name, {}).get(value)
    # Measured figures: three significant digits are plenty in a table.
    return short or presenters.display(
        Site, name, value, blank=presenters.EMPTY_CELL, significant=3
    )


def _circuits(site: dict[str, Any]) -> str:
    circuits = sorted(site.get("circuits", []), key=lambda c: circuit_order(c["role"]))
    parts = [f"{c['role'].capitalize()} {c['down_mbps']:g}/{c['up_mbps']:g}" for c in circuits]
    return "; ".join(parts) or "none"


def _site_answer(site: dict[str, Any], name: str) -> str:
    if name == "circuits":
        return _circuits(site)
    try:
        return _short_answer(name, site.get(name))
    except Exception:
        return str(site.get(name, "—"))


def _site_answers(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The sites' answers as tables, one row per site and a column per group of answers.

    From :data:`COMPACT_FROM_SITES` sites, an answer that is the same at every site is
    said once above its table (``same``) rather than in every row.
    """
    sites = document.get("sites", [])
    tables = []
    for title, columns in SITE_TABLES:
        same = []
        shown = []  # (prefix, fields, width class) with the answers that differ
        answers: dict[str, list[str]] = {}  # field -> each site's answer, computed once
        for prefix, fields, cls in columns:
            kept = []
            for name, label in fields:
                answers[name] = [_site_answer(site, name) for site in sites]
                if len(sites) >= COMPACT_FROM_SITES and len(set(answers[name])) == 1:
                    same.append((f"{prefix}{label}", answers[name][0]))
                else:
                    kept.append((name, label))
            if kept:
                shown.append((prefix, kept, cls))
        headers = [
            {"label": prefix + " / ".join(label for _n, label in kept), "cls": cls}
            for prefix, kept, cls in shown
        ]
        rows = [
            {
                "name": site["name"],
                "cells": [
                    " / ".join(answers[name][i] for name, _label in kept)
                    for _prefix, kept, _cls in shown
                ],
            }
            for i, site in enumerate(sites)
        ]
        tables.append({"title": title, "headers": headers, "rows": rows, "same": same})
    return tables


def _assumptions(results: dict[str, Any]) -> list[str]:
    """The planning assumptions the figures rest on: the ownership model's, then the engine's."""
    assumptions = [plain(a) for a in (results.get("ownership") or {}).get("assumptions", [])]
    for a in results.get("assumptions", []):
        note = plain(a["note"])
        # A note says what is assumed, with its figure, and how to confirm it. Results
        # scored before the notes did (a code name and "UNCONFIRMED") get the figure
        # in front and the label in words.
        if "UNCONFIRMED" in note or not re.search(r"\d", note):
            unit = f" {a['unit']}" if a.get("unit") else ""
            name = presenters.words(a["name"])
            note = note.replace("; UNCONFIRMED estimate.", ".").replace("; UNCONFIRMED.", ".")
            note = f"{name}: {a['value']:g}{unit}. {note} An estimate to confirm with you."
        # Said once above the list, not after each of the sixteen effort figures.
        assumptions.append(note.removesuffix(" " + CONFIRM_EFFORT))
    return assumptions


def section(
    document: dict[str, Any],
    results: dict[str, Any],
    thresholds: list[dict[str, Any]],
    *,
    with_sites: bool = True,
) -> dict[str, Any]:
    """The appendix's part of the context (its list of sources is :mod:`.sources`).

    Args:
        document: The assessment document of the snapshot (the answers).
        results: The scoring result of the snapshot (the assumptions).
        thresholds: The thresholds frozen in the snapshot.
        with_sites: Whether to give the sites' answers (a large estate's are in the annex).

    Returns:
        ``answers``, ``site_answers``, ``thresholds`` and ``assumptions``.
    """
    return {
        "answers": _answers(document),
        "site_answers": _site_answers(document) if with_sites else [],
        # Each threshold's Microsoft page in place of the section of the notes it cites.
        "thresholds": [{**t, "page": page_for(t)} for t in thresholds],
        "assumptions": _assumptions(results),
    }
