"""Readiness texts as people read them: no references to the project's internal notes."""

import re

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
