"""Template filters that show a site's readiness with unknown kept apart from bad."""

import re
from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()

NOT_ASSESSED = "not_assessed"
# What stands in for a score nobody should read: with too little known a site scores 100
# (nothing is lost), which would read as "perfect" beside a grey "Not assessed".
NO_SCORE = "—"


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """A field of a result's dataclass or of its JSON form (an issued proposal's snapshot)."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


@register.filter
def score_shown(network: Any) -> str:
    """A site's readiness score as shown: "—" while the site is Not assessed."""
    if network is None:
        return NO_SCORE
    if _get(network, "grade") == NOT_ASSESSED:
        return NO_SCORE
    return str(_get(network, "score"))


@register.filter
def needs_data(network: Any) -> bool:
    """Whether too little is known about a site to grade it (the grey state)."""
    return network is not None and _get(network, "grade") == NOT_ASSESSED


# The engine's texts may still cite the project's internal notes ("(§2.2)", "of §3.1",
# "domain.md"); readers get the Microsoft page beside the text instead, so these go.
_CITED_IN_BRACKETS = re.compile(r"\s*\([^()]*§[^()]*\)")
_CITED = re.compile(r"\s*(?:(?:of|in|see)\s+)?(?:domain\.md\s*)?§\d+(?:\.\d+)*|\s*domain\.md")


def without_internal_refs(text: object) -> str:
    """``text`` without references to the project's internal notes (sections, file name).

    Args:
        text: A finding's, note's or assumption's text.

    Returns:
        The text a customer or SE reads, the references removed.
    """
    plain = _CITED.sub("", _CITED_IN_BRACKETS.sub("", str(text or "")))
    return plain.strip()


register.filter("plain", without_internal_refs)
