"""The JSON Schema file is generated from the question catalogue, and kept current by this test."""

import json
from datetime import date
from io import StringIO

from django.core.management import CommandError, call_command
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from assessments import questions
from assessments.document_schema import assessment_schema, schema_text
from assessments.models import Assessment, Circuit, Site
from assessments.schema import load_document
from assessments.schema.document import SCHEMA_PATH
from assessments.services.documents import assessment_export


def run(*args) -> str:
    out = StringIO()
    call_command("assessment_schema", *args, stdout=out)
    return out.getvalue()


def test_the_committed_schema_file_is_what_the_catalogue_makes():
    # CI runs the test suite: a question added, relabelled or re-limited without
    # `manage.py assessment_schema --write` fails here, naming the command to run.
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "Run `python manage.py assessment_schema --write` and commit the schema file."
    )
    assert "is current" in run("--check")


def test_check_refuses_a_stale_file_and_write_makes_it_current(tmp_path):
    stale = tmp_path / "assessment.schema.json"
    stale.write_text(
        SCHEMA_PATH.read_text(encoding="utf-8").replace('"maximum": 500', '"maximum": 50')
    )
    with pytest.raises(CommandError, match="assessment_schema --write"):
        run("--check", "--file", str(stale))
    assert "Wrote" in run("--write", "--file", str(stale))
    assert stale.read_text(encoding="utf-8") == schema_text()
    assert "is current" in run("--check", "--file", str(stale))


def test_without_an_option_the_schema_is_printed_and_nothing_written(tmp_path):
    printed = run("--file", str(tmp_path / "untouched.json"))
    assert json.loads(printed) == assessment_schema()
    assert not (tmp_path / "untouched.json").exists()


def test_the_generated_schema_is_valid_draft_2020_12():
    Draft202012Validator.check_schema(assessment_schema())


def _extreme(q: questions.Question, end: str):
    """The answer at one end of what the model accepts: a bound, a choice, the longest text."""
    field = q.field
    if q.name == "country":
        return "JP" if end == "maximum" else "AD"
    if q.choices:
        return q.choices[-1 if end == "maximum" else 0][0]
    if isinstance(field, models.DateField):
        return date(2099, 12, 31) if end == "maximum" else date(2000, 1, 1)
    # Django's own validators, the database range among them: the tightest bound is the rule.
    if end == "maximum":
        highs = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
        if highs:
            return min(highs)
    else:
        lows = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
        if lows:
            return max(lows)
    if field.max_length:
        return "x" * (field.max_length if end == "maximum" else 1)
    raise AssertionError(f"no {end} for {q.name}")


@pytest.mark.parametrize("end", ["minimum", "maximum"])
def test_an_assessment_answered_at_the_models_limits_exports_a_valid_document(world, end):
    values = {model: {q.name: _extreme(q, end) for q in questions.CATALOGUE[model]}
              for model in (Assessment, Site, Circuit)}  # fmt: skip
    # Answers bounded by other answers: the hub is another site, and the users by persona
    # add up to no more than the site's users (one of them at its own bound).
    values[Site]["backhaul_hub"] = world.hq.name
    if end == "maximum":
        values[Site] |= {"office_video_users": 0, "heavy_video_users": 0}
    Assessment.objects.filter(pk=world.assessment.pk).update(**values[Assessment])
    Site.objects.filter(pk=world.branch.pk).update(**values[Site])
    Circuit.objects.filter(site=world.hq).update(**values[Circuit])
    for model, pk in ((Assessment, world.assessment.pk), (Site, world.branch.pk)):
        model.objects.get(pk=pk).full_clean(validate_unique=False, validate_constraints=False)
    document = json.loads(json.dumps(assessment_export(world.assessment)))
    validator = Draft202012Validator(assessment_schema(), format_checker=FormatChecker())
    assert [e.message for e in validator.iter_errors(document)] == []
    loaded = load_document(document)  # the committed file, as the API and CLI read it
    assert loaded.sites[1].name == values[Site]["name"]
    assert loaded.sites[1].backhaul_hub == world.hq.name


def test_the_demo_assessments_export_documents_the_schema_accepts(db):
    call_command("seed_demo", stdout=StringIO())
    validator = Draft202012Validator(assessment_schema(), format_checker=FormatChecker())
    assessments = Assessment.objects.select_related("customer")
    assert assessments.exists()
    for assessment in assessments:
        document = json.loads(json.dumps(assessment_export(assessment)))
        assert [e.message for e in validator.iter_errors(document)] == [], assessment.title
