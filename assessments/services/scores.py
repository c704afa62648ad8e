"""Per-assessment score summaries: refreshed after every change, read by the pipeline."""

from django.db import connection, transaction
from django.utils import timezone

from assessments import engine_io
from assessments.models import Assessment, AssessmentScore, ReadinessBand
from assessments.scoring.ruleset import NOT_READY_BELOW, READY_FROM


def band_for(average: int | None) -> str:
    """The readiness band of an average score (a site grade's cut-offs)."""
    if average is None:
        return ReadinessBand.NO_SITES
    if average >= READY_FROM:
        return ReadinessBand.READY
    if average < NOT_READY_BELOW:
        return ReadinessBand.NOT_READY
    return ReadinessBand.REMEDIATION


def assessment_rescore(*, assessment_id: int) -> AssessmentScore | None:
    """Score an assessment now and store its summary row (a fixed number of queries).

    Args:
        assessment_id: The assessment to score.

    Returns:
        The stored summary, or ``None`` if the assessment no longer exists.
    """
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
            "band": band_for(summary.average_readiness),
            "sites_ready": summary.ready,
            # The sites graded Not ready, the count the results page and the PDF show.
            "sites_not_ready": summary.not_ready,
            "recommended_model": model,
            "recommended_label": rec.label[:120] if result.sites else "",
            "ruleset_version": result.ruleset_version,
            "scored_at": timezone.now(),
        },
    )
    return summary


class _Rescore:
    """An on-commit callback that rescores every assessment changed in one transaction."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        self.done = False

    def __call__(self) -> None:
        self.done = True
        for assessment_id in sorted(self.ids):
            assessment_rescore(assessment_id=assessment_id)


def assessment_rescore_on_commit(assessment_id: int) -> None:
    """Refresh the assessment's summary once its transaction commits (once per transaction).

    Saving a grid of 500 sites calls this 500 times in one transaction; the summary is
    computed once, after commit, so it reflects what was stored and a rolled-back edit
    never reaches it. Outside a transaction it runs at once.

    Args:
        assessment_id: The assessment whose answers or sites changed.
    """
    # Join the callback already queued in this transaction, if any: a rolled-back
    # savepoint discards its callbacks, so a callback still listed here will run.
    for _sids, callback, _robust in getattr(connection, "run_on_commit", []):
        if isinstance(callback, _Rescore) and not callback.done:
            callback.ids.add(assessment_id)
            return
    callback = _Rescore()
    callback.ids.add(assessment_id)
    transaction.on_commit(callback)
