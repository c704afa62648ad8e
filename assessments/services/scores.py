"""Stored scores: each site's result and the estate's, refreshed by what each change touches."""

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, TextField
from django.db.models.functions import Cast
from django.tasks import task
from django.utils import timezone

from assessments import engine_io
from assessments.models import Assessment, AssessmentScore, Circuit, ReadinessBand, Site, SiteScore
from assessments.schema.document import site_name_key
from assessments.selectors import CIRCUIT_ORDER
from scoring import AssessmentResult, SiteResult
from scoring.decode import estate_result_from_dict
from scoring.engine import (
    aggregate,
    org_inputs_key,
    score_sites,
    site_inputs_keys,
    site_part,
)
from scoring.pstn_fit import org_fit
from scoring.results import EstateResult, SitePart, site_part_from_dict
from scoring.ruleset import NOT_READY_BELOW, READY_FROM, RULESET_VERSION


def band_for(average: int | None, *, site_count: int = 0) -> str:
    """The readiness band of an average score (a site grade's cut-offs).

    Args:
        average: The average readiness over the graded sites, ``None`` when none is graded.
        site_count: How many sites the assessment has: with sites but none graded, the
            estate is Not assessed (it needs data), not "No sites yet".

    Returns:
        A :class:`ReadinessBand` value.
    """
    if average is None:
        return ReadinessBand.NOT_ASSESSED if site_count else ReadinessBand.NO_SITES
    if average >= READY_FROM:
        return ReadinessBand.READY
    if average < NOT_READY_BELOW:
        return ReadinessBand.NOT_READY
    return ReadinessBand.REMEDIATION


# A request rescores at most this many sites itself (about 0.1 s with their inputs); a
# change that moves more (an organisation answer at a large estate, new rules) is
# rescored in the worker while pages show the stored figures as "updating".
INLINE_SITES = 150
# The worker rescores this many sites per transaction, saving its progress after each.
WORKER_CHUNK = 250
# A rescore marked as running for longer than this is taken as lost (a worker stopped)
# and queued again by the next page that reads it.
UPDATING_EXPIRES = timedelta(minutes=10)


@dataclass
class Touched:
    """What a change may have moved: the sites to rescore besides any found stale.

    Attributes:
        site_ids: Sites changed (rescored; a deleted one is simply gone).
        names: Site names (by :func:`site_name_key`) whose site is rescored too: the hub
            a changed site backhauls to, before and after the change (its load includes
            the site's), and the changed site's names.
        branches_of: Hub names (by key) whose branches are rescored too: a hub renamed,
            removed, added, or no longer on its own line.
        everything: Compare every site's inputs with its stored key (a change whose
            reach is not known, such as a whole document imported).
    """

    site_ids: set[int] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    branches_of: set[str] = field(default_factory=set)
    everything: bool = False

    def merge(self, other: "Touched") -> None:
        """Add another change's reach to this one."""
        self.site_ids |= other.site_ids
        self.names |= other.names
        self.branches_of |= other.branches_of
        self.everything = self.everything or other.everything


def touched_by(obj: Any, action: str, changed: dict[str, list[Any]]) -> Touched:
    """The reach of one logged change to an assessment (see :func:`record_change`).

    Args:
        obj: The record written: a site, the assessment, or another record of it.
        action: "create", "update", "delete", "import" …
        changed: ``{field: [old, new]}``.

    Returns:
        What to rescore. The assessment's own answers need nothing here: every stored
        part records the answers it was scored with, and parts scored with others are
        stale.
    """
    if isinstance(obj, Assessment):
        return Touched()
    if not isinstance(obj, Site):
        return Touched(everything=True)
    names = {obj.name, obj.backhaul_hub}
    for name in ("name", "backhaul_hub"):
        names.update(str(v or "") for v in changed.get(name, ()))
    keys = {site_name_key(n) for n in names if n}
    own = {site_name_key(obj.name)} | {site_name_key(str(v or "")) for v in changed.get("name", ())}
    hub_moved = (
        action in {"create", "delete", "restore"} or "name" in changed or "backhaul_hub" in changed
    )
    return Touched({obj.pk}, keys, own - {""} if hub_moved else set())


@dataclass
class Stored:
    """An assessment's stored scores after a rescore (or as read).

    Attributes:
        estate: The estate-level result as stored (``EstateResult.to_dict()``), ``{}``
            before the first scoring. Shared with other requests of the process: read it,
            never change it.
        sites: Results scored by this call, by site id (the others are stored).
        updating: The worker is rescoring sites: ``estate`` predates the latest change.
        done: Sites rescored so far by the worker.
        total: Sites it set out to rescore.
    """

    estate: dict[str, Any]
    sites: dict[int, SiteResult] = field(default_factory=dict)
    updating: bool = False
    done: int = 0
    total: int = 0
    result: EstateResult | None = None  # ``estate`` decoded, when it was read decoded
    # The summary row's state as read (``STATE_FIELDS``) when the estate was current: what
    # the costs' key is made of, so a page need not read it again.
    state: dict[str, Any] | None = None


def _model_of(rec: Any) -> str:
    if rec.kind == "none":
        return ""
    return "mix" if rec.kind == "mix" else rec.model or ""


def _summary_columns(estate: EstateResult) -> dict[str, Any]:
    summary = estate.summary
    rec = estate.recommendation
    return {
        "site_count": summary.site_count,
        "user_count": summary.user_count,
        "average_readiness": summary.average_readiness,
        "band": band_for(summary.average_readiness, site_count=summary.site_count),
        "sites_ready": summary.ready,
        # The sites graded Not ready, the count the results page and the PDF show.
        "sites_not_ready": summary.not_ready,
        "sites_not_assessed": summary.not_assessed,
        "recommended_model": _model_of(rec) if summary.site_count else "",
        "recommended_label": rec.label[:120] if summary.site_count else "",
        "ruleset_version": estate.ruleset_version,
    }


def _site_row(
    site: Site, result: SiteResult, part: SitePart, inputs_key: str, org_key: str, now: Any
) -> SiteScore:
    network = result.network
    issue = network.top_issue
    return SiteScore(
        site_id=site.pk,
        assessment_id=site.assessment_id,
        grade=network.grade,
        score=network.score,
        known_pct=network.completeness,
        users=result.users,
        recommended_model=result.recommendation.model,
        top_issue=(issue.message if issue else "")[:200],
        result=result.to_dict(),
        part=part.to_dict(),
        ruleset_version=RULESET_VERSION,
        inputs_key=inputs_key,
        org_key=org_key,
        scored_at=now,
    )


_SITE_COLUMNS = [
    "grade", "score", "known_pct", "users", "recommended_model", "top_issue", "result", "part",
    "ruleset_version", "inputs_key", "org_key", "scored_at",
]  # fmt: skip


def _load_sites(ids: set[int]) -> dict[int, Site]:
    circuits = Prefetch("circuits", queryset=Circuit.objects.order_by(CIRCUIT_ORDER, "id"))
    return {s.pk: s for s in Site.objects.filter(pk__in=ids).prefetch_related(circuits)}


def _rescore(
    assessment_id: int,
    touched: Touched,
    *,
    budget: int,
    worker: bool = False,
    assessment: Assessment | None = None,
) -> Stored | None:
    """Rescore what ``touched`` reaches and every stale site, then aggregate the estate.

    A fixed number of queries: the sites' names, the stored parts, the sites rescored
    (with their circuits and their branches), one write of their rows and one of the
    estate. When more than ``budget`` sites need it, the touched sites and others up to
    the budget are rescored, the assessment is marked as updating and (outside the
    worker) queued for the worker; the estate is aggregated once every part is current.
    """
    if assessment is None:
        assessment = Assessment.objects.select_related("customer").filter(pk=assessment_id).first()
        if assessment is None:
            return None
    options = engine_io.fit_options_of(assessment)
    answers = engine_io.assessment_input(assessment, [])
    org_key = org_inputs_key(answers, options)
    now = timezone.now()
    with transaction.atomic():
        # One rescore of an assessment at a time (requests and the worker): each reads
        # the parts the one before it stored.
        row = AssessmentScore.objects.select_for_update().filter(pk=assessment_id).first()
        if row is None:
            row = AssessmentScore.objects.create(
                assessment_id=assessment_id, ruleset_version="", scored_at=now
            )
        order = list(
            Site.objects.filter(assessment_id=assessment_id).values_list(
                "id", "name", "backhaul_hub"
            )
        )
        stored = _stored_parts(assessment_id)
        needs, first = _needs(order, stored, touched, org_key)
        if touched.everything:
            needs |= _changed_inputs(assessment, order, stored, org_key, options)
        now_ids = needs
        if len(needs) > budget:
            # The touched sites first (the row being edited shows its own result), then
            # the others in site order.
            rest = [i for i, _, _ in order if i in needs and i not in first]
            now_ids = first | set(rest[: max(budget - len(first), 0)])
        results: dict[int, SiteResult] = {}
        parts: dict[int, SitePart] = {}
        if now_ids:
            results, parts = _score_and_store(assessment, options, org_key, order, now_ids, now)
        remaining = len(needs) - len(now_ids)
        if remaining:
            return _mark_updating(row, worker, now, len(needs), remaining, results)
        current = (
            row.org_key == org_key
            and row.ruleset_version == RULESET_VERSION
            and row.estate
            and row.updating_since is None
            and row.site_count == len(order)
            # The title and customer are shown with the estate (a detail, not a score).
            and row.estate.get("title") == answers.title
            and row.estate.get("customer") == answers.customer.name
        )
        if not now_ids and current and not touched.site_ids:
            return Stored(row.estate, results)
        every = [
            parts[site_id] if site_id in parts else stored[site_id][2] for site_id, _, _ in order
        ]
        estate = aggregate(answers, every, options, org=org_fit(answers, options))
        for name, value in _summary_columns(estate).items():
            setattr(row, name, value)
        row.estate = estate.to_dict()
        row.org_key = org_key
        row.scored_at = now
        row.updating_since = None
        row.progress_done = row.progress_total = 0
        row.save()
        # Kept for this process's next read; a transaction rolled back leaves a stamp no
        # stored row has, so it is never matched.
        _keep_estate(assessment_id, _stamp(row), row.estate, estate)
        return Stored(row.estate, results, result=estate)


# Per process, as Django's connections are: each stored part decoded once and kept while
# its row's key and ruleset stay the same (equal keys, equal parts: see site_inputs_keys).
# A save at a 2,000-site estate then decodes only the parts that changed since the last
# save this process saw. Bounded: forgetting a part costs one decode, never a wrong part.
_PARTS: OrderedDict[tuple[int, int], tuple[str, str, SitePart]] = OrderedDict()
_PARTS_KEPT = 50_000
_parts_lock = threading.Lock()


def _stored_parts(assessment_id: int) -> dict[int, tuple[str, str, SitePart]]:
    """Each stored site's org key, ruleset and part, by site id (two queries).

    The keys are read first; only the parts not already decoded by this process (or
    changed since) are read, as text decoded in one go.
    """
    keys = list(
        SiteScore.objects.filter(assessment_id=assessment_id).values_list(
            "site_id", "org_key", "ruleset_version", "inputs_key"
        )
    )
    found: dict[int, tuple[str, str, SitePart]] = {}
    missing: list[int] = []
    with _parts_lock:
        for site_id, org_key, version, inputs_key in keys:
            kept = _PARTS.get((assessment_id, site_id))
            if kept is not None and kept[0] == inputs_key and kept[1] == version:
                found[site_id] = (org_key, version, kept[2])
            else:
                missing.append(site_id)
    if missing:
        rows = list(
            SiteScore.objects.filter(assessment_id=assessment_id, site_id__in=missing)
            .annotate(part_text=Cast("part", output_field=TextField()))
            .values_list("site_id", "org_key", "ruleset_version", "inputs_key", "part_text")
        )
        decoded = json.loads("[" + ",".join(row[4] for row in rows) + "]")
        with _parts_lock:
            for (site_id, org_key, version, inputs_key, _text), plain in zip(
                rows, decoded, strict=True
            ):
                part = site_part_from_dict(plain)
                found[site_id] = (org_key, version, part)
                _PARTS[(assessment_id, site_id)] = (inputs_key, version, part)
            while len(_PARTS) > _PARTS_KEPT:
                _PARTS.popitem(last=False)
    return found


def _needs(
    order: list[tuple[int, str, str]],
    stored: dict[int, tuple[str, str, Any]],
    touched: Touched,
    org_key: str,
) -> tuple[set[int], set[int]]:
    """The sites to rescore: those ``touched`` reaches, and those whose part is stale."""
    hubs = engine_io.backhaul_hubs_of([(name, hub) for _, name, hub in order])
    present = {site_id for site_id, _, _ in order}
    stale = {
        site_id
        for site_id in present
        if site_id not in stored
        or stored[site_id][0] != org_key
        or stored[site_id][1] != RULESET_VERSION
    }
    # A site new to the store (imported in bulk) adds its load to its hub's.
    reach = set(touched.names) | {
        site_name_key(hubs.get(site_name_key(hub), ""))
        for site_id, _, hub in order
        if site_id in stale and hub
    }
    first = (touched.site_ids & present) | {
        site_id
        for site_id, name, hub in order
        if site_name_key(name) in reach or (hub and site_name_key(hub) in touched.branches_of)
    }
    return first | stale, first


def _mark_updating(
    row: AssessmentScore,
    worker: bool,
    now: Any,
    needed: int,
    remaining: int,
    results: dict[int, SiteResult],
) -> Stored:
    """Record that the worker is (to be) rescoring the rest, with how far it has got."""
    lost = row.updating_since is not None and row.updating_since < now - UPDATING_EXPIRES
    if row.updating_since is None or lost:
        row.updating_since = now
        row.progress_total = needed
        if not worker:
            assessment_id = row.pk
            transaction.on_commit(lambda: rescore_assessment.enqueue(assessment_id))
    row.progress_total = max(row.progress_total, needed)
    row.progress_done = row.progress_total - remaining
    row.save(update_fields=["updating_since", "progress_total", "progress_done"])
    return Stored(row.estate, results, True, row.progress_done, row.progress_total)


def _inputs(
    assessment: Assessment, order: list[tuple[int, str, str]], ids: set[int]
) -> tuple[dict[int, Site], Any]:
    """The engine input of the sites ``ids`` and of the branches of any hub among them."""
    hubs = engine_io.backhaul_hubs_of([(name, hub) for _, name, hub in order])
    wanted = {site_name_key(name) for site_id, name, _ in order if site_id in ids}
    branches = {
        site_id
        for site_id, _, hub in order
        if hub and site_name_key(hubs.get(site_name_key(hub), "")) in wanted
    }
    loaded = _load_sites(ids | branches)
    sites = [loaded[site_id] for site_id, _, _ in order if site_id in loaded]
    given = {site_name_key(s.name): s.name for s in sites if site_name_key(s.name) in hubs}
    return loaded, engine_io.assessment_input(assessment, sites, hubs=given)


def site_inputs(assessment: Assessment, site_ids: set[int]) -> tuple[dict[int, Site], Any]:
    """The engine input of some sites and of the branches that backhaul to any hub among them.

    What :func:`scoring.engine.score_sites` needs to score those sites exactly as a whole
    scoring would, without loading the rest of the estate (three queries).

    Args:
        assessment: The assessment (its customer selected with it).
        site_ids: The sites to score, e.g. one page of a window.

    Returns:
        The sites loaded (those asked for and their branches) by id, and their input.
    """
    order = list(
        Site.objects.filter(assessment_id=assessment.pk).values_list("id", "name", "backhaul_hub")
    )
    return _inputs(assessment, order, site_ids)


def _score_and_store(
    assessment: Assessment,
    options: Any,
    org_key: str,
    order: list[tuple[int, str, str]],
    ids: set[int],
    now: Any,
) -> tuple[dict[int, SiteResult], dict[int, SitePart]]:
    loaded, subset = _inputs(assessment, order, ids)
    names = {loaded[i].name for i in ids}
    scored = score_sites(subset, names, options)
    keys = site_inputs_keys(subset, names, org_key)
    by_name = {s.name: s for s in subset.sites}
    site_of = {loaded[i].name: loaded[i] for i in ids}
    results: dict[int, SiteResult] = {}
    parts: dict[int, SitePart] = {}
    rows = []
    for result in scored:
        site = site_of[result.site]
        part = site_part(result, by_name[result.site], subset)
        results[site.pk], parts[site.pk] = result, part
        rows.append(_site_row(site, result, part, keys[result.site], org_key, now))
    SiteScore.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["site"], update_fields=_SITE_COLUMNS
    )
    return results, parts


def _changed_inputs(
    assessment: Assessment,
    order: list[tuple[int, str, str]],
    stored: dict[int, tuple[str, str, Any]],
    org_key: str,
    options: Any,
) -> set[int]:
    """Sites whose inputs differ from those their stored result was scored from."""
    keys = dict(
        SiteScore.objects.filter(assessment_id=assessment.pk).values_list("site_id", "inputs_key")
    )
    loaded, whole = _inputs(assessment, order, {site_id for site_id, _, _ in order})
    now_keys = site_inputs_keys(whole, None, org_key)
    return {i for i, site in loaded.items() if keys.get(i) != now_keys[site.name]}


def assessment_rescore(
    *, assessment_id: int, result: AssessmentResult | None = None
) -> AssessmentScore | None:
    """Score every site of an assessment now and store its results (a fixed number of queries).

    Call it outside a transaction (or after commit), as the on-commit refresh does.

    Args:
        assessment_id: The assessment to score.
        result: Not used (kept for callers that scored the assessment themselves): the
            stored results are scored here, from what is stored now.

    Returns:
        The stored summary, or ``None`` if the assessment no longer exists.
    """
    _mark_scored(assessment_id)  # before reading: every change committed so far is seen
    SiteScore.objects.filter(assessment_id=assessment_id).update(ruleset_version="")
    if _rescore(assessment_id, Touched(), budget=1_000_000) is None:
        return None
    return AssessmentScore.objects.get(pk=assessment_id)


def assessment_rescore_touched(
    *, assessment_id: int, worker: bool = False, assessment: Assessment | None = None
) -> Stored | None:
    """Rescore the sites the changes made in this thread touched, and any stale, and store.

    The changes were logged by ``record_change`` (which notes what each reaches); the
    other sites' stored parts are read and the estate aggregated once. A request calls
    this after its save to show the new scores (one scoring per save); the on-commit
    refresh calls it otherwise.

    Args:
        assessment_id: The assessment.
        worker: Called by the worker: rescore a chunk and record the progress.
        assessment: The assessment as just read with its customer, to read it once.

    Returns:
        What is stored now, or ``None`` if the assessment no longer exists.
    """
    _mark_scored(assessment_id)
    touched = _take_pending(assessment_id)
    budget = WORKER_CHUNK if worker else INLINE_SITES
    return _rescore(assessment_id, touched, budget=budget, worker=worker, assessment=assessment)


# Per process: the estate result last read for each assessment, with its decoded form,
# kept while its row's stamp is unchanged. Every write of an estate gives it a new
# ``scored_at`` (see _rescore), so a page reads the stamp (a few columns) and decodes the
# estate (which grows with the sites) once per process and change, not once per view.
# Bounded: forgetting an estate costs one read and decode, never a stale one.
ESTATES_KEPT = 256
# And at most this many sites over all of them: a 2,000-site estate kept takes about 1 MB
# (its stored form and its decoded one), a small one a few tens of kilobytes.
ESTATE_SITES_KEPT = 20_000
# The stamp: when it was scored, with what, and what the summary columns say of it.
STAMP_FIELDS = (
    "scored_at",
    "ruleset_version",
    "org_key",
    "site_count",
    "user_count",
    "average_readiness",
    "recommended_model",
)
_SITE_COUNT = STAMP_FIELDS.index("site_count")
# What every page reads of the summary row: whether it is current, and its stamp.
STATE_FIELDS = (
    "updating_since",
    "progress_done",
    "progress_total",
    "org_key",
    "costs_key",
    *STAMP_FIELDS,
)
_estates: OrderedDict[int, tuple[tuple[Any, ...], dict[str, Any], EstateResult]] = OrderedDict()
_estates_lock = threading.Lock()


def _stamp(row: AssessmentScore) -> tuple[Any, ...]:
    return tuple(getattr(row, name) for name in STAMP_FIELDS)


def _kept_estate(assessment_id: int, stamp: tuple[Any, ...]) -> Stored:
    """The stored estate of ``stamp`` (as read and decoded once, or read now)."""
    with _estates_lock:
        kept = _estates.get(assessment_id)
        if kept is not None and kept[0] == stamp:
            _estates.move_to_end(assessment_id)
            return Stored(kept[1], result=kept[2])
    estate, *read_stamp = AssessmentScore.objects.filter(pk=assessment_id).values_list(
        "estate", *STAMP_FIELDS
    ).first() or ({}, *(None for _ in STAMP_FIELDS))
    if not estate:
        return Stored(estate)
    decoded = estate_result_from_dict(estate)
    if tuple(read_stamp) == stamp:  # not rewritten between the two reads
        _keep_estate(assessment_id, stamp, estate, decoded)
    return Stored(estate, result=decoded)


def _keep_estate(
    assessment_id: int, stamp: tuple[Any, ...], estate: dict[str, Any], decoded: EstateResult
) -> None:
    with _estates_lock:
        _estates[assessment_id] = (stamp, estate, decoded)
        _estates.move_to_end(assessment_id)
        sites = sum(kept[0][_SITE_COUNT] or 0 for kept in _estates.values())
        while len(_estates) > 1 and (len(_estates) > ESTATES_KEPT or sites > ESTATE_SITES_KEPT):
            _key, (oldest, _estate, _decoded) = _estates.popitem(last=False)
            sites -= oldest[_SITE_COUNT] or 0


def kept_estate_stamp(assessment_id: int, result: Any) -> tuple[Any, ...] | None:
    """The stamp ``result`` is kept under, if it is this process's kept estate of the assessment.

    What is rendered from a kept estate may be kept by its stamp: None when ``result`` is
    not the one kept (scored or read apart, or replaced since), which is then not kept.
    """
    with _estates_lock:
        kept = _estates.get(assessment_id)
    return kept[0] if kept is not None and kept[2] is result else None


def forget_kept_estates() -> None:
    """Forget the estates this process has read (tests whose frozen clocks repeat stamps)."""
    with _estates_lock:
        _estates.clear()


def stored_scores(*, assessment: Assessment) -> Stored:
    """The assessment's stored estate result, scored first if missing or stale (lazily).

    Cheap when current (the partner's country facts and the summary row's stamp: two
    queries, and the estate itself only when this process has not read it since it was
    last scored); otherwise the stale sites are rescored, here up to ``INLINE_SITES`` and
    by the worker beyond (the result then says it is updating).

    Args:
        assessment: The assessment (its customer selected with it).

    Returns:
        The stored scores.
    """
    # The state of the scores only, as plain values (read on every assessment page): the
    # estate (growing with the sites) and the costs are read only when needed.
    row = AssessmentScore.objects.filter(pk=assessment.pk).values(*STATE_FIELDS).first()
    if row is not None and row["updating_since"] is not None:
        if row["updating_since"] >= timezone.now() - UPDATING_EXPIRES:
            estate = AssessmentScore.objects.filter(pk=assessment.pk).values_list(
                "estate", flat=True
            )
            return Stored(
                estate.first() or {}, {}, True, row["progress_done"], row["progress_total"]
            )
    elif row is not None and row["ruleset_version"] == RULESET_VERSION:
        options = engine_io.fit_options_of(assessment)
        answers = engine_io.assessment_input(assessment, [])
        if row["org_key"] == org_inputs_key(answers, options):
            kept = _kept_estate(assessment.pk, tuple(row[name] for name in STAMP_FIELDS))
            if kept.estate:
                kept.state = row
                return kept
    stored = _rescore(assessment.pk, Touched(), budget=INLINE_SITES, assessment=assessment)
    return stored if stored is not None else Stored({})


class _Rescore:
    """An on-commit callback that refreshes one assessment's scores, unless already done.

    Each change queues one; when the transaction commits they run in turn and the first
    rescores what all the changes noted so far touched: the others see that a scoring
    started after they were queued (so it read their change) and skip. A callback of a
    rolled-back savepoint never runs, and one that committed is never skipped in favour
    of it; what a rolled-back change noted is rescored too (needlessly, never wrongly).
    """

    def __init__(self, assessment_id: int) -> None:
        self.assessment_id = assessment_id
        self.queued_at = _tick()

    def __call__(self) -> None:
        if _scored_at(self.assessment_id) > self.queued_at:
            return
        assessment_rescore_touched(assessment_id=self.assessment_id)


# Per thread, as Django's database connections are: a clock, when each assessment was last
# scored by it, and what the changes since reach. Bounded: forgetting an entry costs one
# scoring more, never one less (a forgotten reach is found by the stored inputs' keys).
_local = threading.local()
_REMEMBERED = 1000


def _tick() -> int:
    _local.clock = getattr(_local, "clock", 0) + 1
    return _local.clock


def _scored_at(assessment_id: int) -> int:
    return getattr(_local, "scored", {}).get(assessment_id, 0)


def _mark_scored(assessment_id: int) -> None:
    scored = getattr(_local, "scored", None)
    if scored is None or len(scored) >= _REMEMBERED:
        scored = _local.scored = {}
    scored[assessment_id] = _tick()


def _pending() -> dict[int, Touched]:
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = {}
    return pending


def _take_pending(assessment_id: int) -> Touched:
    return _pending().pop(assessment_id, None) or Touched()


def note_change(
    assessment_id: int, obj: Any, action: str, changed: dict[str, list[Any]], *, scoring: bool
) -> None:
    """Note what a logged change reaches, for the next rescore of its assessment.

    Args:
        assessment_id: The assessment changed.
        obj: The record written.
        action: What happened.
        changed: ``{field: [old, new]}``.
        scoring: The change may move the scores (it is rescored after commit, or by its
            caller straight after); False for records that cannot (scenarios, proposals).
    """
    if not scoring and not isinstance(obj, (Site, Assessment)):
        return
    pending = _pending()
    if assessment_id not in pending and len(pending) >= _REMEMBERED:
        # Forgetting what changes reached would miss them: check every input instead.
        pending.clear()
        _local.overflowed = True
    reach = touched_by(obj, action, changed)
    if getattr(_local, "overflowed", False):
        reach.everything = True
    pending.setdefault(assessment_id, Touched()).merge(reach)


def assessment_rescore_on_commit(assessment_id: int) -> None:
    """Refresh the assessment's scores once its transaction commits (once per transaction).

    Saving a grid of 500 sites calls this 500 times in one transaction; the sites they
    touched are rescored once, after commit, so the stored results reflect what was stored
    and a rolled-back edit never reaches them. Outside a transaction it runs at once.

    Args:
        assessment_id: The assessment whose answers or sites changed.
    """
    transaction.on_commit(_Rescore(assessment_id))


def assessment_rescore_in_worker(*, assessment_id: int) -> int:
    """Rescore every stale site of an assessment a chunk at a time, then its estate.

    Each chunk is its own transaction and records the progress pages show; edits made
    meanwhile are rescored by their own requests (against the same lock).

    Args:
        assessment_id: The assessment.

    Returns:
        How many chunks it took.
    """
    chunks = 0
    # Bounded: each chunk rescores up to WORKER_CHUNK sites; an estate is far smaller
    # than this many chunks, unless edits keep making sites stale faster than that.
    while chunks < 1_000:
        chunks += 1
        stored = _rescore(assessment_id, Touched(), budget=WORKER_CHUNK, worker=True)
        if stored is None or not stored.updating:
            break
    return chunks


def organisation_rescore(*, organisation_id: int) -> int:
    """Score every assessment of a partner organisation again and store its results.

    For a change that moves the scores of all of them at once (the partner's country
    facts); each assessment is rescored a chunk at a time, as after an answer changes.

    Args:
        organisation_id: The partner organisation.

    Returns:
        How many assessments were scored.
    """
    ids = list(
        Assessment.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
    )
    for assessment_id in ids:
        assessment_rescore_in_worker(assessment_id=assessment_id)
    return len(ids)


# Background tasks beside the services they run (the worker finds them by this module's path).
@task()
def rescore_organisation(organisation_id: int) -> None:
    """Refresh the stored scores of a partner's assessments."""
    organisation_rescore(organisation_id=organisation_id)


@task()
def rescore_assessment(assessment_id: int) -> None:
    """Rescore an assessment's stale sites and then its estate, recording progress."""
    assessment_rescore_in_worker(assessment_id=assessment_id)
