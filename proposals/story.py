"""A proposal's executive story: the drafted letter and next steps, the chart, the summaries."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from assessments.charts import FONT, GRADE_COLOURS, GRID, MUTED, TEXT
from assessments.cost_story import money
from proposals.models import StepOwner
from proposals.pdf.plain import plain
from scoring.after_fixes import GradeShift, grade_shift
from scoring.costs import CostResult
from scoring.decode import cost_result_from_dict
from scoring.results import Grade

OWNER_LABELS = dict(StepOwner.choices)
# The drafted steps' target dates, in weeks from the day the proposal is prepared: a
# measurement takes a fortnight, network fixes a month more, numbers and licences are
# ordered while the fixes are made, then a pilot of a fortnight and the move in batches.
DRAFT_WEEKS = {"measure": 2, "fix": 6, "order": 8, "pilot": 10, "live": 14}


def costs_of(results: dict[str, Any]) -> CostResult | None:
    """The costs a snapshot froze, or ``None`` when it has none this release can read.

    Args:
        results: The scoring result of a snapshot, with its ``costs``.

    Returns:
        The cost engine's result.
    """
    frozen = results.get("costs")
    if not frozen:
        return None
    try:
        return cost_result_from_dict(frozen)
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None  # frozen by a release whose costs this one cannot read


def cost_summary(results: dict[str, Any]) -> dict[str, Any]:
    """The three-year cost of the recommended design and of the cheapest alternative.

    Args:
        results: The scoring result of a snapshot, with its ``costs``.

    Returns:
        ``present`` (False without costs), ``months``, ``design`` and ``cheapest``: each
        ``{"label", "priced", "total", "one_off", "per_year"}`` (amounts in words with the
        currency; a model missing a price is "not priced", never 0), ``cheapest`` the
        priced model of lowest three-year total other than the design's own users' model
        (``None`` when no other model is priced), ``design_label`` the recommendation's name.
    """
    result = costs_of(results)
    if result is None:
        return {"present": False}

    def row(cost) -> dict[str, Any]:
        return {
            "label": cost.label,
            "priced": cost.priced,
            "total": money(cost.total, result.currency) if cost.priced else "not priced",
            "one_off": money(cost.one_off, result.currency) if cost.priced else "",
            "per_year": money(cost.per_year, result.currency) if cost.priced else "",
        }

    # The alternative is another model than the one the design gives the users.
    chosen = results.get("recommendation", {}).get("model")
    others = [c for c in result.models if c.priced and c.model != chosen]
    priced = sorted(others, key=lambda c: (c.total, c.label))
    design = result.design
    cheapest = priced[0] if priced else None
    return {
        "present": True,
        "months": result.months,
        "design": row(design) if design is not None else None,
        "design_label": results.get("recommendation", {}).get("label", ""),
        "cheapest": row(cheapest) if cheapest is not None else None,
    }


def top_fixes(results: dict[str, Any], *, limit: int = 3) -> list[str]:
    """The engine's top issues of the sites that need work, most frequent first, in plain words.

    Args:
        results: The scoring result of a snapshot.
        limit: At most this many.

    Returns:
        What to do about each, as the engine recommends it.
    """
    seen: Counter[str] = Counter()
    for site in results.get("sites", []):
        top = site["network"].get("top_issue")
        if top and top.get("points", 0) < 0 and top.get("recommendation"):
            seen[plain(top["recommendation"])] += 1
    return [text for text, _n in seen.most_common(limit)]


def _shift_words(shift: GradeShift) -> tuple[int, int, int]:
    counts = {grade: (today, after) for grade, _label, today, after in shift.rows}
    total = sum(today for today, _after in counts.values())
    return total, counts[Grade.READY.value][0], counts[Grade.READY.value][1]


def _why(results: dict[str, Any]) -> str:
    """Why the recommendation, in one sentence: its fit against the next best model's."""
    rec = results["recommendation"]
    fits = {f["model"]: f for f in results.get("fits", [])}
    chosen = fits.get(rec.get("model") or "")
    others = [
        f
        for m, f in fits.items()
        if m != rec.get("model") and f.get("availability") != "unavailable"
    ]
    if chosen is None or not others:
        return plain(rec.get("summary") or "")
    best = max(others, key=lambda f: f["fit"])
    return (
        f"It fits your answers and sites best: {chosen['fit']} of 100, against {best['fit']} "
        f"for {best['label']}, the next best."
        if chosen["fit"] > best["fit"]
        else plain(rec.get("summary") or "")
    )


def drafted_letter(
    results: dict[str, Any], *, customer: str, partner: str, contact: str = ""
) -> str:
    """The cover letter drafted from the results, for the sales engineer to make their own.

    Args:
        results: The scoring result of a snapshot (with its ``costs``).
        customer: The customer's name.
        partner: The partner's name.
        contact: Who signs it (the assessment's owner), or ``""``.

    Returns:
        Plain text in paragraphs separated by blank lines.
    """
    rec = results["recommendation"]
    total, ready, ready_after = _shift_words(grade_shift(results.get("sites", [])))
    why = _why(results)
    paragraphs = [
        f"Dear {customer} team,",
        f"Thank you for the time you gave us. This proposal sets out how {customer} can make "
        f"and take phone calls in Microsoft Teams, and what it takes to get there.",
        f"We recommend {rec['label']}. {why}".strip(),
    ]
    if total:
        paragraphs.append(
            f"Today {ready} of your {total} site{'s' * (total != 1)} "
            f"{'is' if ready == 1 else 'are'} ready for Teams calling. Once the fixes this "
            f"proposal lists are made, {ready_after} of {total} will be."
        )
    costs = cost_summary(results)
    design = costs.get("design") if costs.get("present") else None
    if design and design["priced"]:
        paragraphs.append(
            f"Over three years the recommended design costs {design['total']} "
            f"({design['one_off']} to set up, then {design['per_year']} a year)."
        )
    paragraphs.append(
        "What happens next: we measure the sites we could not yet measure, fix the network "
        "issues listed here, order numbers and licences, run a pilot, then move everyone. "
        "The next steps, each with its owner and a target date, close this proposal."
    )
    paragraphs.append(f"Kind regards,\n{contact or partner}\n{partner}")
    return "\n\n".join(paragraphs)


STEP_WORDS = 120


def first_clause(text: str) -> str:
    """Advice up to its first bracket, "or" or semicolon, cut on a word past :data:`STEP_WORDS`.

    Args:
        text: A recommendation in plain words.

    Returns:
        Its first clause, starting in lower case, to stand inside a sentence.
    """
    clause = re.split(r" \(|, or |; ", text, maxsplit=1)[0].rstrip(" .")
    if len(clause) > STEP_WORDS:
        clause = clause[:STEP_WORDS].rsplit(" ", 1)[0] + "…"
    # "Move to..." reads inside a sentence as "move to..."; "QoS", "VPN" keep their capitals.
    if clause[1:2].islower():
        clause = clause[:1].lower() + clause[1:]
    return clause


def drafted_steps(results: dict[str, Any], *, today: date) -> list[dict[str, str]]:
    """The next steps drafted from the results, with target dates counted from ``today``.

    Args:
        results: The scoring result of a snapshot.
        today: The day the proposal is prepared.

    Returns:
        ``[{"step", "owner", "owner_name", "date"}]``, dates in ISO form.
    """
    rec = results["recommendation"]
    sites = results.get("sites", [])
    unknown = sum(1 for s in sites if s["network"].get("to_find_out"))
    needing = sum(1 for s in sites if s["network"]["grade"] != Grade.READY.value)
    fixes = top_fixes(results, limit=1)

    def at(key: str) -> str:
        return (today + timedelta(weeks=DRAFT_WEEKS[key])).isoformat()

    steps = []
    if unknown:
        steps.append(
            (f"Measure the network at the {unknown} site{'s' * (unknown != 1)} with items "
             "still to find out (Teams Network Assessment Tool)", StepOwner.CUSTOMER_IT,
             at("measure"))
        )  # fmt: skip
    if needing:
        # The most frequent top issue names the work; its wording can run long (it gives the
        # figures), so only its first clause is kept: a step must fit its form field.
        what = first_clause(fixes[0]) if fixes else "the fixes listed site by site"
        steps.append(
            (f"Fix the network at the {needing} site{'s' * (needing != 1)} that need work, "
             f"starting with the most common: {what}", StepOwner.CUSTOMER_IT, at("fix"))
        )  # fmt: skip
    steps += [
        (f"Order the numbers and Teams Phone licences for {rec['label']}", StepOwner.PARTNER,
         at("order")),
        ("Pilot with a group of users at one site, emergency calls tested", StepOwner.PARTNER,
         at("pilot")),
        ("Go live: move the users and port the numbers site by site", StepOwner.CUSTOMER_IT,
         at("live")),
    ]  # fmt: skip
    return [
        {"step": text, "owner": owner.value, "owner_name": "", "date": when}
        for text, owner, when in steps
    ]


def step_rows(steps: list[dict[str, str]]) -> list[dict[str, Any]]:
    """The steps as a table reads them: who owns each in words, the date as a date.

    Args:
        steps: Stored or drafted steps.

    Returns:
        ``[{"step", "owner", "date"}]``; ``date`` is a :class:`~datetime.date` or ``None``.
    """
    rows = []
    for s in steps:
        owner = s.get("owner_name") if s.get("owner") == StepOwner.PERSON else ""
        try:
            when = date.fromisoformat(s.get("date") or "")
        except ValueError:
            when = None
        rows.append(
            {
                "step": s.get("step", ""),
                "owner": owner or OWNER_LABELS.get(s.get("owner", ""), ""),
                "date": when,
            }
        )
    return rows


def shift_chart(shift: GradeShift, *, width: int = 420, font: str = FONT) -> SafeString:
    """Paired bars of sites per grade today and after the listed fixes (inline SVG, no JS).

    Args:
        shift: The engine's counts (:func:`scoring.after_fixes.grade_shift`).
        width: The drawing's width in user units (it scales to its box).
        font: The chart's font family.

    Returns:
        An accessible SVG: a title, a description with every figure, a label on each bar.
    """
    rows = [r for r in shift.rows if r[2] or r[3]] or list(shift.rows[:1])
    top = max([1, *(max(r[2], r[3]) for r in rows)])
    label_w, bar_h, gap, pad = 150, 13, 10, 8
    plot = width - label_w - 40
    height = pad * 2 + 24 + len(rows) * (2 * bar_h + 4 + gap)
    body = [
        f'<rect x="{label_w}" y="{pad}" width="10" height="10" fill="{GRID}" stroke="{MUTED}"/>'
        f'<text x="{label_w + 14}" y="{pad + 9}" font-size="11" fill="{TEXT}">Today</text>'
        f'<rect x="{label_w + 70}" y="{pad}" width="10" height="10" fill="{MUTED}"/>'
        f'<text x="{label_w + 84}" y="{pad + 9}" font-size="11" fill="{TEXT}">'
        "After the listed fixes</text>"
    ]
    y = pad + 24
    for grade, label, today, after in rows:
        colour = GRADE_COLOURS[Grade(grade)]
        body.append(
            f'<text x="{label_w - 8}" y="{y + bar_h + 4}" font-size="11" fill="{TEXT}" '
            f'text-anchor="end">{escape(label)}</text>'
        )
        for n, style, dy in (
            (today, f'fill="{colour}" fill-opacity="0.35" stroke="{colour}"', 0),
            (after, f'fill="{colour}"', bar_h + 4),
        ):
            w = plot * n / top
            body.append(
                f'<rect x="{label_w}" y="{y + dy}" width="{max(w, 1):.1f}" height="{bar_h}" '
                f"{style}/>"
                f'<text x="{label_w + w + 5:.1f}" y="{y + dy + bar_h - 2}" font-size="11" '
                f'fill="{TEXT}">{n}</text>'
            )
        y += 2 * bar_h + 4 + gap
    title = "Sites by readiness grade, today and after the listed fixes"
    desc = "; ".join(f"{label}: {today} today, {after} after" for _g, label, today, after in rows)
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="shift-title shift-desc" class="chart shift-chart" '
        f'font-family="{escape(font)}"><title id="shift-title">{escape(title)}</title>'
        f'<desc id="shift-desc">{escape(desc)}</desc>{"".join(body)}</svg>'
    )


def lift_words(shift: GradeShift, results: dict[str, Any], *, limit: int = 2) -> list[str]:
    """Why the sites move: each lifted site with the engine's fixes that lift it, in words.

    Args:
        shift: The engine's counts.
        results: The scoring result (the findings the fix codes name).
        limit: At most this many sites are named; the sentence says how many more.

    Returns:
        Sentences such as "Depot: Not ready today, Ready once QoS is marked end to end."
    """
    by_site = {s["site"]: s for s in results.get("sites", [])}
    labels = {g: label for g, label, _t, _a in shift.rows}
    words = []
    for lift in shift.lifts[:limit]:
        findings = {f["code"]: f for f in by_site[lift.site]["network"]["findings"]}
        fixes = [
            first_clause(plain(findings[c]["recommendation"])) for c in lift.fixes if c in findings
        ]
        fixes = [f for f in dict.fromkeys(fixes) if f][:2]
        words.append(
            f"{lift.site}: {labels[lift.today]} today, {labels[lift.after]} once the fixes "
            f"are made{': ' + '; '.join(fixes) + '.' if fixes else '.'}"
        )
    more = len(shift.lifts) - limit
    if more > 0:
        words.append(f"And {more} more site{'s' * (more != 1)}, each by the fixes listed for it.")
    return words
