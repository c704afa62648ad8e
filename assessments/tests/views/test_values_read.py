"""How values read wherever they are shown: labels with their acronyms, choices by label, dates."""

import re
from datetime import date

from django.urls import reverse

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from assessments import presenters, questions
from assessments.forms import BulkSetForm, ScenarioChangeForm
from assessments.models import Assessment, Circuit, Customer, Site
from assessments.services.scenarios import ORG_FIELDS, SITE_FIELDS, field_for
from assessments.services.versioning import Actor, versioned_update
from imports.models import MeasurementImport
from invites.forms import InviteForm
from invites.models import Invite
from proposals import services as proposals
from proposals.pdf.context import build_context
from tenancy.models import Organisation

# Acronyms and unit words as people write them; a label with one in lower case reads wrong
# ("Qos (dscp)", "Number of sbcs", "Voice skills in it", "Lte / 5g backup?").
LOWER_CASE_ACRONYM = re.compile(
    r"\b(it|sbcs?|qos|dscp|lte|5g|dids?|fte|rtt|vpn|udp|pbx|pstn|sd-wan|wi-fi|sip|tls|cqd|mbps"
    r"|id|url|pdf)\b"
)


def _every_label() -> list[tuple[str, str]]:
    labels = []
    for model in (Organisation, Customer, Assessment, Site, Circuit, Invite):
        for field in model._meta.concrete_fields:
            labels.append((f"{model.__name__}.{field.name}", presenters.label(model, field.name)))
    for name in presenters.PSEUDO_LABELS:
        labels.append((name, presenters.label(Site, name)))
    return labels


@pytest.mark.parametrize(("where", "label"), _every_label())
def test_every_field_label_writes_its_acronyms_right(where, label):
    assert not LOWER_CASE_ACRONYM.search(label), f"{where} reads “{label}”"
    assert label[:1] == label[:1].upper(), f"{where} reads “{label}”"


def test_the_bulk_set_and_what_if_lists_name_fields_as_the_forms_do(world):
    bulk = dict(BulkSetForm(assessment=world.assessment).fields["field"].choices)
    assert bulk["lte_backup"] == "LTE / 5G backup?"  # was "Lte / 5g backup?"
    assert bulk["qos"] == "QoS (DSCP)"
    targets = (
        ScenarioChangeForm(
            assessment=world.assessment,
            org_fields=ORG_FIELDS,
            site_fields=SITE_FIELDS,
            field_for=field_for,
        )
        .fields["target"]
        .choices
    )
    names = {value: label for _group, options in targets for value, label in options}
    assert names["organisation:voice_skills"] == "Voice skills in IT"
    assert names["sites:client_rtt_ms"] == "Client RTT (ms)"
    # One field, one name: the what-if list, the bulk list and the log say what the form says.
    for scope, model in (("organisation", Assessment), ("sites", Site)):
        for name in ORG_FIELDS if scope == "organisation" else SITE_FIELDS:
            assert names[f"{scope}:{name}"] == presenters.label(model, name)
            assert str(field_for(scope, name).label) == presenters.label(model, name)


def test_the_activity_log_shows_labels_choices_and_dates_as_people_read_them(world, login):
    actor = Actor.for_user(world.teammate)
    assessment, site = world.assessment, world.assessment.sites.first()
    versioned_update(
        obj=assessment,
        base_version=assessment.version,
        changes={"pbx_contract_end": date(2027, 6, 30), "voice_skills": "none"},
        actor=actor,
        assessment=assessment,
    )
    versioned_update(
        obj=site,
        base_version=site.version,
        changes={"qos": "end_to_end", "users": 1500},
        actor=actor,
        assessment=assessment,
    )
    response = login(world.owner).get(reverse("assessments:activity", args=[assessment.pk]))
    assertContains(response, "Current contract ends</span>: <del>blank</del> → <ins>30 Jun 2027")
    assertContains(response, "Voice skills in IT")
    assertContains(response, "QoS (DSCP)</span>: <del>")
    assertContains(response, "<ins>Marked and honoured end to end</ins>")
    assertContains(response, "<ins>1,500</ins>")
    assertNotContains(response, "2027-06-30")  # never the stored ISO date
    assertNotContains(response, "<ins>end_to_end</ins>")  # never the stored code
    assertContains(response, " UTC</time>")  # when, with its time zone
    # What was changed, in words: the assessment's answers, not a record type.
    page = " ".join(response.content.decode().split())
    assert f"Changed assessment answers “{assessment}”" in page
    assert f"Changed site “{site.name}”" in page


def test_the_activity_log_names_each_kind_of_record_in_words():
    assert presenters.record_noun("circuit") == "internet line"
    assert presenters.record_noun("membership") == "member"
    assert presenters.record_noun("invite") == ""  # "Invited “Priya Patel”"
    assert presenters.record_noun("assessment", {"timeline": ["unknown", "urgent"]}) == (
        "assessment answers"
    )
    # Its title or status is not an answer, nor the sites an import added.
    for fields in ({"status": ["draft", "in_progress"]}, {"sites": [0, 12]}, {}):
        assert presenters.record_noun("assessment", fields) == "assessment"
    # A kind of record added later reads as its model calls it, never as its code name.
    assert presenters.record_noun("measurementimport", {}, MeasurementImport) == (
        "measurement import"
    )


def test_an_assessments_details_are_the_fields_of_it_that_are_not_questions():
    assert presenters.ASSESSMENT_DETAILS.issubset(questions.NOT_QUESTIONS[Assessment])
    assert not presenters.ASSESSMENT_DETAILS & set(questions.names(Assessment))


def test_the_pdf_answers_and_assumptions_keep_acronyms_and_read_dates(world):
    world.assessment.pbx_contract_end = date(2027, 6, 30)
    world.assessment.save()
    snapshot = proposals.proposal_snapshot(assessment=world.assessment, issued_by="Alice Ames")
    context = build_context(snapshot)
    answers = dict(context["answers"])
    assert answers["Current contract ends"] == "30 Jun 2027"  # was "2027-06-30"
    assert "Voice skills in IT" in answers  # was "Voice skills in it"
    assumptions = " ".join(context["assumptions"])
    # Each in a customer's words with its figure (was "Sbcs per route = 2: ...; UNCONFIRMED").
    assert "your own SBCs has at least 2 of them" in assumptions
    assert "1,600 productive hours a year" in assumptions
    assert "Sbcs" not in assumptions and "UNCONFIRMED" not in assumptions


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1500, "1,500"),
        (45.678, "45.678"),  # a diff keeps every digit, or 45.678 → 45.679 would read alike
        ("1.50", "1.5"),  # a decimal as the log stores it
        (0.1, "0.1"),
        (1e6, "1,000,000"),  # never "1e+06"
    ],
)
def test_numbers_read_in_the_readers_format(value, shown):
    assert presenters.number_text(value) == shown


def test_measured_figures_in_a_table_keep_three_significant_digits():
    assert presenters.display(Site, "client_rtt_ms", 45.678, significant=3) == "45.7"
    assert (
        presenters.display(Site, "client_rtt_ms", 1234.5, significant=3) == "1,234"
    )  # not 1.23e+03
    assert presenters.display(Site, "client_jitter_ms", 1.485, significant=3) == "1.49"


def test_the_invite_form_and_the_log_name_an_invites_fields_alike():
    form = InviteForm()
    for name in ("contact_name", "email", "sections"):
        assert str(form.fields[name].label) == presenters.label(Invite, name)
