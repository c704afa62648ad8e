"""Score an assessment document (a file) or a stored assessment, and print the results."""

import json

from django.core.management.base import BaseCommand, CommandError

from assessments import engine_io, fit_story
from assessments.management.commands.import_assessment import _read_json
from assessments.models import Assessment
from assessments.schema.document import DocumentError, load_document
from assessments.services.costs import costs_for
from assessments.services.documents import document_rows, result_payload
from scoring import AssessmentResult, score_assessment
from scoring.costs import EMPTY_BOOK, CostResult, cost_of_ownership
from scoring.results import is_issue, issue_order


class Command(BaseCommand):
    help = "Score a teams-readiness-assessment JSON file (or --id of a stored assessment)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="The document ('-' for standard input).")
        parser.add_argument("--id", type=int, help="Score a stored assessment instead.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file: str | None = None, id: int | None = None, **options):
        if (file is None) == (id is None):
            raise CommandError("Give a document file, or --id of a stored assessment.")
        if id is not None:
            assessment = Assessment.objects.select_related("customer").filter(pk=id).first()
            if assessment is None:
                raise CommandError(f"There is no assessment with id {id}.")
            result = engine_io.score(assessment)
            costs = costs_for(assessment, result=result)
        else:
            try:
                document = load_document(_read_json(file))
                document_rows(document)  # the models' rules too, as the API checks them
                result = score_assessment(document)
                # A file belongs to no partner: no price book, every model "not priced".
                costs = cost_of_ownership(result, document, EMPTY_BOOK)
            except DocumentError as exc:
                raise CommandError("Not a valid assessment:\n  " + "\n  ".join(exc.errors)) from exc
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(result_payload(result, costs), indent=2, ensure_ascii=False)
            )
        else:
            self.stdout.write(_text(result) + _costs_text(costs))


def _text(result: AssessmentResult) -> str:
    s = result.summary
    rec = result.recommendation
    average = "—" if s.average_readiness is None else f"{s.average_readiness}/100"
    models = fit_story.model_rows(result.fits, rec.chart_model)
    lines = [
        f"{result.customer} — {result.title} (ruleset {result.ruleset_version})",
        f"{s.site_count} sites, {s.user_count} users; average readiness {average}; "
        f"ready {s.ready}, ready after remediation {s.ready_after_remediation}, "
        f"not ready {s.not_ready}, not assessed {s.not_assessed}",
        f"Recommendation: {rec.label}. {rec.summary}",
        "Fit: " + ", ".join(_fit(m) for m in models),
    ]
    lines += [f"  {m['label']}: {m['note']}" for m in models if m["note"]]
    lines += [
        f"Gateways: {site}: {phrases}" for site, phrases in fit_story.gateways_by_site(rec.gateways)
    ]
    if rec.status == "poor_fit":
        lines.append("No available model fits every site well. What would change that:")
        lines += [f"  {item}" for item in rec.what_would_change]
    if rec.country_data:
        lines.append(fit_story.country_facts(rec.country_data) + ".")
    lines.append("")
    for site in result.sites:
        n = site.network
        # Too little known: the score over what is known would read as a grade it is not.
        score = "—" if n.grade == "not_assessed" else f"{n.score}/100"
        lines.append(
            f"{site.site} [{site.country}] readiness {score} {n.grade_label}, "
            f"{n.completeness} % known, confidence {n.confidence_level} — {_design(site)}"
        )
        for f in sorted(filter(is_issue, n.findings), key=issue_order):
            where = f.source.title if f.source else f.section
            lines.append(f"  {f.points:+d} {f.code}: {f.message} ({where})")
    lines.append("")
    lines.append(
        "Customer IT effort a year: "
        + ", ".join(f"{s.label} {s.hours_per_year:.0f} h" for s in result.ownership.summaries)
    )
    return "\n".join(lines)


def _fit(model: dict) -> str:
    """A model's overall fit, "not available" when no site can have it, the pick marked."""
    fit = (
        "not available"
        if model["availability"] == "unavailable"
        else f"{model['fit']} ({model['band_label']})"
    )
    return f"{model['label']} {fit}" + (" [recommended]" if model["chosen"] else "")


def _design(site) -> str:
    """The site's design, then the models it cannot have (on its line: findings follow)."""
    rec = site.recommendation
    text = fit_story.design_sentence(rec.design, rec.label)
    if rec.status == "poor_fit":
        text += " (no available model fits well)"
    unavailable = [f.label for f in site.fits if f.availability == "unavailable"]
    return text + (f"; not available here: {', '.join(unavailable)}" if unavailable else "")


def _costs_text(costs: CostResult) -> str:
    """Each model's three-year cost, or what it misses to be priced."""
    lines = [f"\nWhat it costs over {costs.months} months ({costs.currency}):"]
    for cost in ([costs.design] if costs.design else []) + list(costs.models):
        if cost.priced:
            lines.append(
                f"  {cost.label}: {cost.one_off:,} one-off + {cost.per_year:,} a year = "
                f"{cost.total:,}"
            )
        else:
            lines.append(f"  {cost.label}: not priced (missing {', '.join(cost.missing)})")
    lines += [
        f"  {b.model} costs more at the start and less from month {b.month} than {b.versus}"
        for b in costs.break_even
    ]
    return "\n".join(lines) + "\n"
