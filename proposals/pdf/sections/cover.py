"""The cover: who the proposal is for, by whom, which version and when."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime


def section(snapshot: Mapping[str, Any], *, draft: bool) -> dict[str, Any]:
    """The cover's part of the context; the page header, footer and appendix read it too.

    Args:
        snapshot: The proposal snapshot (:class:`~proposals.pdf.context.ProposalSnapshot`).
        draft: True for a preview that has not been issued.

    Returns:
        ``draft``, ``customer_name``, ``assessment_title``, ``number``, ``issued_at``,
        ``issued_by`` and ``date``.
    """
    document, results = snapshot["document"], snapshot["results"]
    meta = document.get("meta", {})
    issued_at = parse_datetime(snapshot["issued_at"]) if snapshot.get("issued_at") else None
    return {
        "draft": draft,
        "customer_name": meta.get("customer", {}).get("name") or results.get("customer", ""),
        "assessment_title": meta.get("title") or results.get("title", ""),
        "number": snapshot.get("number"),
        "issued_at": issued_at,
        "issued_by": snapshot.get("issued_by", ""),
        "date": issued_at or timezone.now(),
    }
