"""Per-assessment score summaries: refreshed after every change, read by the pipeline."""

import threading

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from assessments import engine_io
from assessments.models import Assessment, AssessmentScore, ReadinessBand
from scoring import AssessmentResult
from scoring.ruleset import NOT_READY_BELOW, READY_FROM


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


def assessment_rescore(
    *, assessment_id: int, result: AssessmentResult | None = None
) -> AssessmentScore | None:
    """Score an assessment now and store its summary row (a fixed number of queries).

    Call it outside a transaction (or after commit), as the on-commit refresh does.

    Args:
        assessment_id: The assessment to score.
        result: Its result as the caller scored it just now, after its own change was
            saved with ``rescore=False``: a page showing the new scores stores the
            summary from the same scoring instead of the assessment being scored twice.

    Returns:
        The stored summary, or ``None`` if the assessment no longer exists.
    """
    _mark_scored(assessment_id)  # before reading: every change committed so far is seen
    if result is None:
        assessment = Assessment.objects.select_related("customer").filter(pk=assessment_id).first()
        if assessment is None:
            return None
        result = engine_io.score(assessment)
    summary = result.summary
    rec = result.recommendation
    if not result.sites or rec.kind == "none":
        model = ""
    elif rec.kind == "mix":
        model = "mix"
    else:
        model = rec.model or ""
    summary, _created = AssessmentScore.objects.update_or_create(
        assessment_id=assessment_id,
        defaults={
            "site_count": summary.site_count,
            "user_count": summary.user_count,
            "average_readiness": summary.average_readiness,
            "band": band_for(summary.average_readiness, site_count=summary.site_count),
            "sites_ready": summary.ready,
            # The sites graded Not ready, the count the results page and the PDF show.
            "sites_not_ready": summary.not_ready,
            "sites_not_assessed": summary.not_assessed,
            "recommended_model": model,
            "recommended_label": rec.label[:120] if result.sites else "",
            "ruleset_version": result.ruleset_version,
            "scored_at": timezone.now(),
        },
    )
    return summary


class _Rescore:
    """An on-commit callback that refreshes one assessment's summary, unless already done.

    Each change queues one; when the transaction commits they run in turn and the first
    scores the assessment: the others see that a scoring started after they were queued
    (so it read their change) and skip. A callback of a rolled-back savepoint never runs,
    and one that committed is never skipped in favour of it.
    """

    def __init__(self, assessment_id: int) -> None:
        self.assessment_id = assessment_id
        self.queued_at = _tick()

    def __call__(self) -> None:
        if _scored_at(self.assessment_id) > self.queued_at:
            return
        assessment_rescore(assessment_id=self.assessment_id)


# Per thread, as Django's database connections are: a clock, and when each assessment was
# last scored by it. Bounded: forgetting an entry costs one scoring more, never one less.
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


def assessment_rescore_on_commit(assessment_id: int) -> None:
    """Refresh the assessment's summary once its transaction commits (once per transaction).

    Saving a grid of 500 sites calls this 500 times in one transaction; the summary is
    computed once, after commit, so it reflects what was stored and a rolled-back edit
    never reaches it. Outside a transaction it runs at once.

    Args:
        assessment_id: The assessment whose answers or sites changed.
    """
    transaction.on_commit(_Rescore(assessment_id))


def organisation_rescore(*, organisation_id: int) -> int:
    """Score every assessment of a partner organisation again and store its summary.

    For a change that moves the scores of all of them at once (the partner's country
    facts); each assessment is scored on its own, as its on-commit refresh would.

    Args:
        organisation_id: The partner organisation.

    Returns:
        How many assessments were scored.
    """
    ids = list(
        Assessment.objects.filter(organisation_id=organisation_id).values_list("pk", flat=True)
    )
    for assessment_id in ids:
        assessment_rescore(assessment_id=assessment_id)
    return len(ids)


# A background task beside the service it runs (the worker finds it by this module's path).
@task()
def rescore_organisation(organisation_id: int) -> None:
    """Refresh the stored score summaries of a partner's assessments."""
    organisation_rescore(organisation_id=organisation_id)
