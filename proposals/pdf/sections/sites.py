"""Sites needing work: each site's findings and what to do, with recurring fixes given once."""

from __future__ import annotations

import re
from typing import Any

from assessments.readiness_text import RESCALE_CODE
from proposals.pdf.plain import plain
from proposals.pdf.sections.sources import page_for
from scoring.results import issue_order

SEVERITY_LABELS = {
    "critical": "Critical",
    "high": "High",
    "medium": "Medium",
    "low": "Low",
    "info": "Note",
}


def _problems(
    findings: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """A site's findings that cost points, split for the page, and what is not known.

    Returns:
        The critical, high and medium findings (most severe first); the low and info
        ones, which the page gives in one line under the table; and the items that were
        not measured or not answered, to verify.
    """
    fix = [
        f
        for f in findings
        if not f["missing"]
        and f["code"] != RESCALE_CODE
        and (f["points"] < 0 or f["severity"] in ("critical", "high"))
    ]
    fix.sort(key=issue_order)
    rows = [
        {
            "severity": f["severity"],
            "severity_label": SEVERITY_LABELS.get(f["severity"], f["severity"]),
            "message": message,
            "recommendation": plain(f["recommendation"]),
            "page": page,
            # What was found, citing the Microsoft page its target comes from.
            "cited": f"{message.rstrip('.')} ({page['title']})." if page else message,
            "points": f["points"],
        }
        for f in fix
        for message, page in ((plain(f["message"]), page_for(f)),)
    ]
    unknown = _unmeasured([plain(f["message"]).rstrip(".") for f in findings if f["missing"]])
    # Minor items read as one line under the site's table, separated by semicolons.
    minor = [
        {**r, "message": r["message"].rstrip(".")} for r in rows if r["severity"] in ("low", "info")
    ]
    rows = [r for r in rows if r["severity"] not in ("low", "info")]
    return rows, minor, unknown


UNMEASURED = (
    (re.compile(r"^Client to Microsoft edge (.+) not measured$"), "client"),
    (re.compile(r"^Customer edge to Microsoft edge (.+) not measured$"), "customer edge"),
)


def _unmeasured(messages: list[str]) -> list[str]:
    """Missing measurements said once per site ("Not measured: client jitter, ...").

    Every unmeasured metric is its own finding; listed one by one they fill a 100-site
    proposal with the same words. Other items are kept as they are, in order.
    """
    measured: dict[str, list[str]] = {}
    rest = []
    for message in messages:
        for pattern, where in UNMEASURED:
            m = pattern.match(message)
            if m:
                measured.setdefault(where, []).append(m.group(1))
                break
        else:
            rest.append(message)
    if not measured:
        return rest
    parts = [
        f"{where} {', '.join(metrics[:-1])}{' and ' if len(metrics) > 1 else ''}{metrics[-1]}"
        for where, metrics in measured.items()
    ]
    return [f"Not measured: {', '.join(parts)}", *rest]


COMMON_FIX_MIN_SITES = 3
# From this many sites needing work, a site's medium and minor findings that recur at
# several sites are given by reference only, and so are the items to verify: a 100-site
# proposal keeps each site to what differs there (and renders in a few seconds).
COMPACT_FROM_SITES = 10
# The distinct findings a recurring fix answers, shown beside it in the fixes table.
FOUND_SHOWN = 3


def _referable(site: dict[str, Any]) -> list[dict[str, Any]]:
    """A site's items that carry a recommendation: findings, minor findings, PSTN notes."""
    return [*site["findings"], *site["minor"], *site["notes"]]


def _common_fixes(remediation: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Advice given word for word at several sites, printed once and referred to by number.

    A 100-site estate repeats the same fix (open UDP 3478-3481, mark DSCP...) dozens of
    times; printing it once keeps the per-site pages to what differs per site. Each fix
    lists what was found where it applies (``found``). The sites' PSTN notes (regulation,
    emergency addresses) are counted with the findings.
    """
    counts: dict[str, dict[str, Any]] = {}
    for site in remediation:
        for f in _referable(site):
            if not f["recommendation"]:
                continue
            entry = counts.setdefault(
                f["recommendation"], {"sites": set(), "page": f["page"], "found": {}}
            )
            entry["sites"].add(site["name"])
            entry["found"].setdefault(f["message"].rstrip("."), None)
    common = sorted(
        ((text, e) for text, e in counts.items() if len(e["sites"]) >= COMMON_FIX_MIN_SITES),
        key=lambda item: (-len(item[1]["sites"]), item[0]),
    )
    refs = {}
    said: set[str] = set()
    fixes = []
    for i, (text, entry) in enumerate(common, start=1):
        refs[text] = f"Fix {i}"
        found = list(entry["found"])
        if len(found) <= FOUND_SHOWN:
            said.add(text)
        else:  # figures that differ per site: each site's row gives its own
            found = ["Differs from site to site (measured values); see each site"]
        fixes.append(
            {
                "ref": f"Fix {i}",
                "text": text,
                "found": found,
                "sites": len(entry["sites"]),
                "page": entry["page"],
            }
        )
    for site in remediation:
        for f in _referable(site):
            f["ref"] = refs.get(f["recommendation"], "")
            # The fixes table says what was found too: the site may refer to it by number.
            f["said"] = f["recommendation"] in said
    return fixes


def _compact(
    remediation: list[dict[str, Any]], fixes: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Give recurring medium and minor items, and recurring items to verify, by reference.

    Critical and high findings keep their own row at every site. A medium or minor finding
    that the fixes table states in full (what was found and what to do), and an item to
    verify that recurs word for word at several sites, become a reference in the site's
    closing line (``also_refs``, ``check_refs``); what is left in words is what is
    particular to the site, such as its measured values.

    Args:
        remediation: The sites needing work (changed in place).
        fixes: The fixes table (:func:`_common_fixes`), in number order.

    Returns:
        The recurring items to verify, numbered (``ref``, ``text``, ``sites``).
    """
    seen: dict[str, int] = {}
    for site in remediation:
        for text in dict.fromkeys(site["unknown"]):
            seen[text] = seen.get(text, 0) + 1
    recurring = sorted(
        (t for t, n in seen.items() if n >= COMMON_FIX_MIN_SITES), key=lambda t: (-seen[t], t)
    )
    checks = [
        {"ref": f"Check {i}", "text": t, "sites": seen[t]} for i, t in enumerate(recurring, 1)
    ]
    recurring_texts = set(recurring)
    for site in remediation:
        by_ref = [
            f
            for f in [*site["findings"], *site["minor"]]
            if f["said"] and f["severity"] not in ("critical", "high")
        ]
        by_ref += [n for n in site["notes"] if n["said"]]
        refs = {f["ref"] for f in by_ref}
        # Both lists in table order, so a site's references read Fix 1, Fix 4, Fix 12.
        site["also_refs"] = [fix["ref"] for fix in fixes if fix["ref"] in refs]
        for key in ("findings", "minor", "notes"):
            site[key] = [f for f in site[key] if not any(f is r for r in by_ref)]
        unknown = set(site["unknown"])
        site["check_refs"] = [c["ref"] for c in checks if c["text"] in unknown]
        site["unknown"] = [t for t in site["unknown"] if t not in recurring_texts]
    return checks


def _to_find_out(entry: dict[str, Any]) -> str:
    """One thing to find out at a site, with how, as the closing line lists it."""
    return f"{plain(entry['topic']).rstrip('.')} ({plain(entry['how']).rstrip('.')})"


def _closing_line(site: dict[str, Any], *, compact: bool) -> None:
    """What the line under a site's findings says, in words (``also_words``, ``check_words``).

    Minor findings are more to fix in the compact layout, beside the fixes given by number;
    otherwise they open the list of what to check, before what is not known.
    """
    minor = [
        f"{m['message']} (see {m['ref']})" if m["ref"] else m["message"] for m in site["minor"]
    ]
    site["also_words"] = minor if compact else []
    site["check_words"] = site["unknown"] if compact else [*minor, *site["unknown"]]


def section(results: dict[str, Any], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The sites section's part of the context: the sites not graded ready.

    Args:
        results: The scoring result of the snapshot.
        rows: The readiness table's rows, one per site of ``results`` in its order; a
            site needing work starts from its row.

    Returns:
        ``remediation``, ``common_fixes``, ``common_checks`` and ``compact``.
    """
    remediation = []
    for s, row in zip(results.get("sites", []), rows, strict=True):
        net = s["network"]
        if net["grade"] != "ready":
            fix, minor, unknown = _problems(net["findings"])
            if "to_find_out" in net:  # what is unknown, each with how to find it out
                unknown = [_to_find_out(t) for t in net["to_find_out"]]
            remediation.append(
                {
                    **row,
                    "findings": fix,
                    "minor": minor,
                    "unknown": unknown,
                    "also_refs": [],
                    "check_refs": [],
                    "notes": [
                        {
                            "message": plain(n["message"]),
                            "recommendation": plain(n["recommendation"]),
                            "page": page_for(n),
                        }
                        for n in s.get("notes", [])
                    ],
                    "load": net["load"],
                }
            )
    common_fixes = _common_fixes(remediation)
    compact = len(remediation) >= COMPACT_FROM_SITES
    common_checks = _compact(remediation, common_fixes) if compact else []
    for site in remediation:
        _closing_line(site, compact=compact)
    return {
        "remediation": remediation,
        "common_fixes": common_fixes,
        "common_checks": common_checks,
        "compact": compact,
    }
