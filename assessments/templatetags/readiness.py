"""Template filters that show a site's readiness with unknown kept apart from bad."""

from collections.abc import Mapping
from typing import Any

from django import template

from assessments.readiness_text import without_internal_refs

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


register.filter("plain", without_internal_refs)
