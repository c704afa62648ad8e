"""Readiness as people read it: no internal references, and fixes apart from bookkeeping."""

import re
from collections.abc import Mapping
from typing import Any

# The finding that rescales the points lost over what is known. It moves the score (so the
# findings still add up) but there is nothing to do about it beyond the listed fixes and
# unknowns, so it is never offered as a fix.
RESCALE_CODE = "NET.KNOWN.SCALE"

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


def is_fix(finding: Any) -> bool:
    """Whether a finding is a problem found at the site, with something to do about it.

    Args:
        finding: A finding, or its JSON form (an issued proposal's snapshot).

    Returns:
        True when it cost points on what is known; unknowns and the rescaling are not fixes.
    """
    if isinstance(finding, Mapping):
        code, points = finding["code"], finding["points"]
    else:
        code, points = finding.code, finding.points
    return points < 0 and code != RESCALE_CODE
