"""The executive story: the letter, readiness today and after the fixes, cost, next steps."""

from __future__ import annotations

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
