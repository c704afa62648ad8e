"""The one reading of per-site results for paged pages: a searched, grade-filtered window."""

import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet

from assessments import selectors
from assessments.models import Assessment, Circuit, Site, SiteScore
from assessments.services.scores import (
    Stored,
    assessment_rescore,
    stored_scores,
)
from portal.search import fold, matching
from scoring.decode import estate_result_from_dict, site_result_from_dict
from scoring.results import GRADE_LABELS, AssessmentResult, EstateResult, Grade, SiteResult

# 40 rows: more than a screen holds, and a grid page of them stays under 400 KB of HTML.
PER_PAGE = 40
PER_PAGE_CHOICES = (20, 40, 100, 200)  # 200 at most: a page's cost must stay bounded
MAX_QUERY = 100  # characters of a search or jump: more than any site name a person types
GRADE_CHOICES = tuple((g.value, GRADE_LABELS[g]) for g in Grade)


@dataclass(frozen=True)
class WindowParams:
    """What a window shows, as read from a query string (bad values fall back to defaults)."""

    query: str = ""
    grade: str = ""
    page: int = 1
    per_page: int = PER_PAGE
    jump: str = ""  # a site's name (or part) to show on its page, filters cleared
    site: int | None = None  # a site's id to show on its page (links and redirects)

    @classmethod
    def from_data(cls, data: Mapping[str, str]) -> "WindowParams":
        """Read ``q``, ``grade``, ``page``, ``per_page``, ``jump`` and ``site``.

        Nothing here refuses a request: a page number past the end shows the last page,
        an unknown grade or page size is ignored, an over-long search is cut.
        """
        grade = data.get("grade", "")
        return cls(
            query=" ".join(data.get("q", "").split())[:MAX_QUERY],
            grade=grade if grade in dict(GRADE_CHOICES) else "",
            page=_int(data.get("page"), 1),
            per_page=_int(data.get("per_page"), PER_PAGE, allowed=PER_PAGE_CHOICES),
            jump=" ".join(data.get("jump", "").split())[:MAX_QUERY],
            site=_int(data.get("site"), 0) or None,
        )

    def query_string(self, **overrides) -> str:
        """The canonical query string of this window (defaults left out), with ``overrides``."""
        values = {
            "q": self.query,
            "grade": self.grade,
            "per_page": self.per_page,
            "page": self.page,
        } | overrides
        kept = {
            k: v
            for k, v in values.items()
            if v not in ("", None)
            and not (k == "page" and v == 1)
            and not (k == "per_page" and v == PER_PAGE)
        }
        return urlencode(kept)


def _int(raw: str | None, default: int, *, allowed: tuple[int, ...] = ()) -> int:
    try:
        value = int(str(raw))
    except ValueError:
        return default
    if allowed and value not in allowed:
        return default
    return value if 0 < value < 1_000_000 else default


@dataclass(frozen=True)
class WindowRow:
    """One site of the window and its result (None when it has none yet)."""

    site: Site
    result: SiteResult | None


@dataclass(frozen=True)
class Window:
    """One page of an assessment's sites, with what a pager and a summary need."""

    params: WindowParams
    rows: list[WindowRow]
    page: Page
    total: int  # sites in the assessment
    matched: int  # sites that match the search and the grade
    result: EstateResult | AssessmentResult  # the whole estate as stored (or as scored)
    counts: dict[str, int]  # sites per grade, whole estate
    focus: int | None = None  # the site to put the cursor on (after a jump)
    missing: str = ""  # a jump that found no site
    pages: list[int | None] = field(default_factory=list)  # page links, None for a gap
    stored: Stored | None = None  # the stored scores read (None when the caller scored)

    @property
    def filtered(self) -> bool:
        """True when a search or a grade narrows the list."""
        return bool(self.params.query or self.params.grade)

    def query_string(self, **overrides) -> str:
        """The query string of this window at its page, with ``overrides``."""
        return self.params.query_string(**({"page": self.page.number} | overrides))

    @property
    def links(self) -> list[tuple[int | None, str]]:
        """The pager's pages and their query strings (None, "" for a gap)."""
        return [(n, self.query_string(page=n) if n else "") for n in self.pages]

    @property
    def previous_query(self) -> str:
        """The previous page's query string, or "" on the first page."""
        return self.query_string(page=self.page.number - 1) if self.page.has_previous() else ""

    @property
    def next_query(self) -> str:
        """The next page's query string, or "" on the last page."""
        return self.query_string(page=self.page.number + 1) if self.page.has_next() else ""


def estate(assessment: Assessment) -> Stored:
    """The whole estate's stored scores (scored first if missing or stale; see scores)."""
    stored = stored_scores(assessment=assessment)
    if not stored.estate:
        # Never scored (sites bulk-created by an import, or stored before results were
        # kept) and handed to the worker: with nothing to show, this view scores it once.
        assessment_rescore(assessment_id=assessment.pk)
        stored = stored_scores(assessment=assessment)
    return stored


def estate_result(stored: Stored) -> EstateResult:
    """The estate-level result as stored (the recommendation, fits, ownership, summary)."""
    return stored.result if stored.result is not None else estate_result_from_dict(stored.estate)


def stored_results(assessment: Assessment, site_ids: list[int]) -> dict[int, SiteResult]:
    """The stored results of some sites, as the engine's objects (decoded once per process).

    Sites without a stored result are left out (read :func:`estate` first, which scores
    what is missing). The rows' stamps are read, then the results this process has not
    decoded since they were stored: one query, or two.
    """
    stamps = {
        pk: tuple(stamp)
        for pk, *stamp in SiteScore.objects.filter(
            assessment_id=assessment.pk, site_id__in=site_ids
        ).values_list("site_id", *STAMP_COLUMNS)
    }
    return _decoded_results(stamps)


# Per process: each site's stored result decoded once, kept while its row's stamp holds
# (a rescore writes new keys and a new ``scored_at``); a page of sites then reads the
# stamps with the sites and the results only of the rows this process has not decoded.
# Bounded to a few pages of large estates; forgetting one costs a read and a decode.
SITE_RESULTS_KEPT = 2_000
_site_results: OrderedDict[int, tuple[tuple[Any, ...], SiteResult]] = OrderedDict()
_site_results_lock = threading.Lock()


STAMP_COLUMNS = ("assessment_id", "inputs_key", "org_key", "ruleset_version", "scored_at")


def forget_kept_results() -> None:
    """Forget the site results this process has decoded (tests whose clocks repeat stamps)."""
    with _site_results_lock:
        _site_results.clear()


def kept_result_stamp(site_id: int, result: SiteResult) -> tuple[Any, ...] | None:
    """The stamp ``result`` is kept under, if it is this process's kept result of the site.

    What is rendered from a kept result may be kept by its stamp: None when ``result`` is
    not the one kept (scored apart, or replaced since), which is then not kept.
    """
    with _site_results_lock:
        kept = _site_results.get(site_id)
    return kept[0] if kept is not None and kept[1] is result else None


def _joined_results(sites: list[Site]) -> dict[int, SiteResult]:
    """The stored results of ``sites`` by site id, decoded once per process.

    The sites come with their score rows (``select_related("score")``, the result itself
    deferred); the results are read only for the rows this process has not decoded.
    """
    stamps: dict[int, tuple[Any, ...]] = {}
    for site in sites:
        # A reverse one-to-one with no row raises (an AttributeError): the site is unscored.
        stored = getattr(site, "score", None)
        if stored is not None:
            stamps[site.pk] = tuple(getattr(stored, name) for name in STAMP_COLUMNS)
    return _decoded_results(stamps)


def _decoded_results(stamps: dict[int, tuple[Any, ...]]) -> dict[int, SiteResult]:
    """The results of the score rows ``stamps`` names (site id to stamp), by site id."""
    found: dict[int, SiteResult] = {}
    with _site_results_lock:
        for pk, stamp in stamps.items():
            kept = _site_results.get(pk)
            if kept is not None and kept[0] == stamp:
                _site_results.move_to_end(pk)
                found[pk] = kept[1]
    missing = [pk for pk in stamps if pk not in found]
    if missing:
        rows = SiteScore.objects.filter(site_id__in=missing).values_list(
            "site_id", "result", *STAMP_COLUMNS
        )
        with _site_results_lock:
            for pk, plain, *stamp in rows:
                found[pk] = site_result_from_dict(plain)
                if tuple(stamp) == stamps[pk]:  # not rescored between the two reads
                    _site_results[pk] = (stamps[pk], found[pk])
            while len(_site_results) > SITE_RESULTS_KEPT:
                _site_results.popitem(last=False)
    return found


def site_result(assessment: Assessment, site: Site) -> SiteResult | None:
    """One site's full result (findings, fits, design), for its detail shown on demand."""
    estate(assessment)  # scores the site first if its stored result is missing or stale
    return stored_results(assessment, [site.pk]).get(site.pk)


def score_rows(assessment: Assessment) -> list[tuple[str, int, str]]:
    """Every site's (name, score, grade) as stored, in the grid's order (for the charts)."""
    return list(
        SiteScore.objects.filter(assessment=assessment)
        .order_by("site__position", "site_id")
        .values_list("site__name", "score", "grade")
    )


def _results_by_pk(sites: list[Site], result: AssessmentResult) -> dict[int, SiteResult]:
    # The engine answers in the order of its input: the sites' order.
    return {site.pk: r for site, r in zip(sites, result.sites, strict=True)}


def _searched(assessment: Assessment, query: str) -> QuerySet[Site]:
    # Every word in the name or the city, in any script and with or without accents.
    return Site.objects.filter(matching(query, "search_name", "search_city"), assessment=assessment)


def _position(qs: QuerySet[Site], site: Site) -> int:
    """How many sites of ``qs`` come before ``site`` in the grid's order (position, id)."""
    return qs.filter(
        Q(position__lt=site.position) | Q(position=site.position, pk__lt=site.pk)
    ).count()


def _find(assessment: Assessment, params: WindowParams) -> Site | None:
    everything = Site.objects.filter(assessment=assessment)
    if params.site:
        return everything.filter(pk=params.site).first()
    if not params.jump:
        return None
    # The name typed in full first, then a name starting with it, then any name or city
    # (compared folded: case and accents aside, in any script).
    jump = fold(params.jump)
    for lookup in (
        Q(search_name=jump),
        Q(search_name__startswith=jump),
        Q(search_name__contains=jump) | Q(search_city__contains=jump),
    ):
        found = everything.filter(lookup).first()
        if found:
            return found
    return None


def _page_links(number: int, count: int) -> list[int | None]:
    """First, last and the pages around ``number``; None where pages are left out."""
    shown = sorted({1, count, *range(max(1, number - 2), min(count, number + 2) + 1)})
    links: list[int | None] = []
    for n in shown:
        if links and n - (links[-1] or 0) > 1:
            links.append(None)
        links.append(n)
    return links


def site_window(
    assessment: Assessment,
    params: WindowParams,
    *,
    scored: tuple[list[Site], AssessmentResult] | None = None,
    circuits: bool = True,
    count: int | None = None,
) -> Window:
    """One page of the assessment's sites, searched by name or city and filtered by grade.

    Args:
        assessment: The assessment (already checked against the viewer).
        params: The search, grade, page and page size; a ``jump`` or ``site`` shows that
            site's page with the search and grade cleared, and marks it to focus.
        scored: The sites and their result as scored by the caller (the what-if page
            scores the estate as it is and as the scenario changes it); otherwise the
            stored results are read: the page's sites only, whatever the estate's size.
        circuits: Prefetch the sites' circuits (the results page shows none of them).
        count: The assessment's sites as the caller counted them in the same request (the
            overview's figures): the pager of every site then asks for no count of its own.

    Returns:
        The window: its rows in the grid's order with their results, the page, and the
        estate's counts. Queries do not grow with the number of sites.
    """
    stored = None
    if scored is not None:
        sites, result = scored
        by_pk: dict[int, SiteResult] | None = _results_by_pk(sites, result)
        total = len(sites)
    else:
        stored = estate(assessment)
        result = estate_result(stored)
        by_pk = None
        total = result.summary.site_count
    focus, missing = None, ""
    if params.jump or params.site:
        target = _find(assessment, params)
        if target is None:
            missing = params.jump
        else:
            focus = target.pk
            everything = Site.objects.filter(assessment=assessment)
            page = _position(everything, target) // params.per_page + 1
            params = WindowParams(per_page=params.per_page, page=page)
    qs = _searched(assessment, params.query)
    if params.grade and by_pk is None:
        qs = qs.filter(score__grade=params.grade)  # the stored grade, indexed
    elif params.grade and by_pk is not None:
        qs = qs.filter(pk__in=[pk for pk, r in by_pk.items() if r.network.grade == params.grade])
    qs = qs.order_by("position", "id")
    if by_pk is None:
        # The stored results come with the sites, in the same query (a query fewer a page);
        # ``part`` is the estate's aggregation input, which no page of sites reads.
        qs = qs.select_related("score").defer("score__part", "score__result")
    if circuits:
        qs = qs.prefetch_related(
            Prefetch("circuits", queryset=Circuit.objects.order_by(selectors.CIRCUIT_ORDER, "id"))
        )
    paginator = Paginator(qs, params.per_page)
    if count is not None and not params.query and not params.grade:
        paginator.count = count  # a cached property: not counted a second time
    page = paginator.get_page(params.page)
    shown = list(page.object_list)
    if by_pk is None:
        by_pk = _joined_results(shown)
    return Window(
        params=params,
        rows=[WindowRow(site=s, result=by_pk.get(s.pk)) for s in shown],
        page=page,
        total=total,
        matched=page.paginator.count,
        result=result,
        counts=dict(result.grade_counts),
        focus=focus,
        missing=missing,
        pages=_page_links(page.number, page.paginator.num_pages),
        stored=stored,
    )


def page_context(window: Window, *, url: str, target: str, what: str = "sites") -> dict:
    """What the shared window templates (tools, status line, pager) read.

    Args:
        window: The window shown.
        url: The page's address without a query string (links add the window's).
        target: The id of the element htmx swaps with the next window.
        what: How the status line and the pager name the rows.
    """
    return {
        "window": window,
        "url": url,
        "target": target,
        "what": what,
        "grades": GRADE_CHOICES,
        "grades_by_value": dict(GRADE_CHOICES),
        "per_page_choices": PER_PAGE_CHOICES,
    }


def sites_after(
    assessment: Assessment,
    params: WindowParams,
    site: Site,
    limit: int,
    *,
    exclude: tuple[int, ...] = (),
) -> list[Site]:
    """The sites that follow ``site`` in a window's order (its search and grade), on any page.

    A block pasted into the grid is often taller than the page it was pasted on: its lines
    go on over the sites of the following pages, in the order the pager would show them.

    Args:
        assessment: The assessment (already checked against the viewer).
        params: The window the paste was made in (its page does not matter).
        site: The site the block starts at.
        limit: At most this many sites (the lines of the block left over).
        exclude: Sites the block covers already: the rows of its page (a site added on a
            page shows at its end until reloaded, out of the grid's order).

    Returns:
        Up to ``limit`` sites in the grid's order (position, id), with their circuits.
    """
    if limit <= 0:
        return []
    qs = _searched(assessment, params.query)
    if params.grade:
        qs = qs.filter(score__grade=params.grade)
    qs = qs.filter(Q(position__gt=site.position) | Q(position=site.position, pk__gt=site.pk))
    qs = qs.exclude(pk__in=exclude)
    return list(qs.order_by("position", "id").prefetch_related("circuits")[:limit])
