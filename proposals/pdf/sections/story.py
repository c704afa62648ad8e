"""The executive story: the letter, readiness today and after the fixes, cost, next steps."""

from __future__ import annotations

import re
from typing import Any

from proposals import story as story_text
from scoring.after_fixes import grade_shift


def section(snapshot: dict[str, Any], results: dict[str, Any], *, font: str) -> dict[str, Any]:
    """The story's part of the context, from what the snapshot froze.

    Args:
        snapshot: The proposal snapshot; its ``story`` holds the letter and the steps as
            prepared (absent in versions issued before the story existed: nothing is
            drafted for them afterwards, so they print as they did).
        results: The scoring result of the snapshot.
        font: The brand's CSS font family, for the chart's text.

    Returns:
        ``story``: ``letter`` (paragraphs), ``steps`` (rows with owner and date),
        ``chart`` (sites per grade today and after the fixes, from the engine),
        ``shift`` (the same figures as table rows), ``lifts`` (why sites move) and
        ``cost`` (:func:`proposals.story.cost_summary`).
    """
    frozen = snapshot.get("story") or {}
    shift = grade_shift(results.get("sites", []))
    letter = frozen.get("letter") or ""
    return {
        "story": {
            "present": bool(frozen),
            "letter": [p.strip() for p in letter.replace("\r\n", "\n").split("\n\n") if p.strip()],
            "steps": story_text.step_rows(frozen.get("steps") or []),
            "chart": story_text.shift_chart(shift, font=font),
            "shift": [
                {"grade": g, "label": label, "today": today, "after": after}
                for g, label, today, after in shift.rows
            ],
            "shift_complete": shift.complete,
            "lifts": story_text.lift_words(shift, results),
            "cost": story_text.cost_summary(results),
        }
    }


SEE_REF = re.compile(r" \(see ((?:Fix|Check) \d+)\)")


def in_words(context: dict[str, Any]) -> None:
    """Give the body's references to recurring fixes and checks in words, not by number.

    The tables of recurring fixes and checks are in an appendix; a reader of a site's
    findings meets "move to a 2 Gbps downstream circuit", never "Fix 3". Each finding
    referring to a recurring fix gets ``ref_words``; each site gets ``also_ref_words`` and
    ``check_ref_words``; a minor item's "(see Fix 3)" becomes the fix's words.

    Args:
        context: The proposal context after :func:`~.large.bound` (changed in place).
    """
    words = {fix["ref"]: story_text.first_clause(fix["text"]) for fix in context["common_fixes"]}
    words.update(
        {check["ref"]: story_text.first_clause(check["text"]) for check in context["common_checks"]}
    )

    def said(match: re.Match[str]) -> str:
        found = words.get(match.group(1))
        return f": {found}" if found else ""

    for site in context["remediation"]:
        for f in [*site["findings"], *site.get("minor", []), *site.get("notes", [])]:
            f["ref_words"] = words.get(f.get("ref") or "", "")
        site["also_ref_words"] = [words[r] for r in site.get("also_refs", []) if r in words]
        site["check_ref_words"] = [words[r] for r in site.get("check_refs", []) if r in words]
        for key in ("also_words", "check_words"):
            site[key] = [SEE_REF.sub(said, text) for text in site.get(key, [])]
