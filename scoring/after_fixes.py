"""Sites per readiness grade today and once the listed fixes are made, with why each site moves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scoring.results import GRADE_LABELS, Grade, SiteResult, to_plain


@dataclass(frozen=True, slots=True)
class Lift:
    """One site whose grade the listed fixes change.

    Attributes:
        site: The site's name.
        today: Its grade today (:class:`Grade` value).
        after: Its grade once the fixes are made.
        fixes: Codes of the findings whose recommendations lift it: after them nothing
            known loses points (``network.score_network``'s projection, domain.md §1).
    """

    site: str
    today: str
    after: str
    fixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class GradeShift:
    """Sites per grade today and after the listed fixes, in grade order.

    Attributes:
        rows: ``(grade, label, today, after)`` for every grade.
        lifts: The sites whose grade the fixes change, in the order given.
        complete: False when a site has no projection (a result scored before ruleset 2):
            the "after" figures then count such a site at today's grade.
    """

    rows: tuple[tuple[str, str, int, int], ...]
    lifts: tuple[Lift, ...]
    complete: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the shift as plain JSON-able values."""
        plain: dict[str, Any] = to_plain(self)
        return plain


def _grades(site: SiteResult | Mapping[str, Any]) -> tuple[str, str, str | None, tuple[str, ...]]:
    if isinstance(site, SiteResult):
        network = site.network
        projection = network.projection
        if projection is None:
            return site.site, network.grade, None, ()
        return site.site, network.grade, projection.grade, projection.fixes
    net = site["network"]
    projected = net.get("projection")
    if not projected:
        return site["site"], net["grade"], None, ()
    return site["site"], net["grade"], projected["grade"], tuple(projected.get("fixes", ()))


def grade_shift(sites: Iterable[SiteResult | Mapping[str, Any]]) -> GradeShift:
    """Count the sites per grade today and after the listed fixes.

    A site's grade after the fixes is the engine's projection of it (``projection`` of
    :class:`~scoring.results.NetworkReadiness`): once every finding that costs points is
    fixed, nothing known loses points, so an assessed site is Ready and a site too little
    is known about stays Not assessed (unknowns are things to find out, domain.md §1).

    Args:
        sites: Site results, or their JSON form (a stored snapshot's ``sites``).

    Returns:
        The counts per grade and the sites the fixes lift, each with the fixes that do it.
    """
    today = dict.fromkeys(Grade, 0)
    after = dict.fromkeys(Grade, 0)
    lifts: list[Lift] = []
    complete = True
    for site in sites:
        name, now, then, fixes = _grades(site)
        if then is None:
            complete = False
            then = now
        today[Grade(now)] += 1
        after[Grade(then)] += 1
        if then != now:
            lifts.append(Lift(name, now, then, fixes))
    rows = tuple((g.value, GRADE_LABELS[g], today[g], after[g]) for g in Grade)
    return GradeShift(rows, tuple(lifts), complete)
