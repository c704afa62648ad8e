"""The question catalogue agrees with the models, the engine's inputs and the JSON Schema."""

import dataclasses
from enum import StrEnum

from django import forms as django_forms

import pytest

from assessments import forms, models, questions
from assessments.models import Assessment, Circuit, Site
from assessments.schema import schema
from assessments.schema.document import PERSONA_ANSWERS, personas_from_answers
from assessments.services import assessments as assessment_services
from assessments.services import scenarios
from imports.forms import MeasurementPasteForm, NatUploadForm
from imports.models import Segment
from invites import forms as invite_forms
from proposals.pdf.sections import appendix as pdf_appendix
from scoring import inputs as engine

# Engine input fields that carry structure or documents' meta data, not answers.
ENGINE_NOT_ANSWERS = {
    Assessment: {"title", "customer", "sites"},
    # ``personas`` is asked as one count of users per persona (PERSONA_ANSWERS).
    Site: {"circuits", "personas"},
    Circuit: set(),
}
# Questions the engine takes in another shape: users by persona, as ``SiteInput.personas``.
ANSWERS_NOT_ENGINE_FIELDS = {Assessment: set(), Site: set(PERSONA_ANSWERS), Circuit: set()}
ENGINE_INPUTS = {
    Assessment: engine.AssessmentInput,
    Site: engine.SiteInput,
    Circuit: engine.CircuitInput,
}
ENGINE_CHOICES = {
    Assessment: engine._ORG_CHOICES,
    Site: engine._SITE_CHOICES,
    Circuit: engine._CIRCUIT_CHOICES,
}
# The country is a choice of ISO codes the engine checks by shape, not by a list.
FREE_CHOICES = {(Site, "country")}


def _schema_properties(model) -> dict:
    s = schema()
    if model is Assessment:
        return s["properties"]["answers"]["properties"]
    return s["$defs"]["site" if model is Site else "circuit"]["properties"]


def _schema_enum(node: dict) -> list | None:
    if "$ref" in node:
        node = schema()["$defs"][node["$ref"].rsplit("/", 1)[1]]
    return node.get("enum")


def _engine_questions(model) -> list[questions.Question]:
    """The questions of ``model`` the engine takes as a field of the same name."""
    return [q for q in questions.CATALOGUE[model] if q.name not in ANSWERS_NOT_ENGINE_FIELDS[model]]


MODELS = pytest.mark.parametrize("model", [Assessment, Site, Circuit], ids=lambda m: m.__name__)


@MODELS
def test_every_answer_field_of_a_model_is_a_question_or_listed_as_not_one(model):
    concrete = {f.name for f in model._meta.concrete_fields}
    asked = set(questions.names(model))
    assert not asked & questions.NOT_QUESTIONS[model]
    assert concrete - questions.NOT_QUESTIONS[model] == asked
    assert questions.NOT_QUESTIONS[model] <= concrete, "a field listed as not a question is gone"


@MODELS
def test_every_question_is_asked_once_in_a_known_section(model):
    names = questions.names(model)
    assert len(names) == len(set(names))
    in_sections = [name for _key, _title, fields in questions.sections(model) for name in fields]
    assert in_sections == names, "a question's section is missing or out of page order"


@MODELS
def test_each_engine_input_field_is_a_question_of_the_same_name(model):
    fields = {f.name for f in dataclasses.fields(ENGINE_INPUTS[model])}
    asked = set(questions.names(model))
    assert ANSWERS_NOT_ENGINE_FIELDS[model] <= asked
    assert fields - ENGINE_NOT_ANSWERS[model] == asked - ANSWERS_NOT_ENGINE_FIELDS[model]


def test_each_engine_persona_is_counted_by_one_site_question():
    # A persona no question counts could never be scored; one counted twice would be
    # scored twice.
    counted = list(PERSONA_ANSWERS.values())
    assert sorted(counted) == sorted(member.value for member in engine.Persona)


@MODELS
def test_the_choices_of_each_question_are_the_engine_enums(model):
    with_choices = {
        q.name: {value for value, _label in q.choices}
        for q in questions.CATALOGUE[model]
        if q.choices and (model, q.name) not in FREE_CHOICES
    }
    engine_choices = {name: set(values) for name, values in ENGINE_CHOICES[model].items()}
    assert with_choices == engine_choices


@MODELS
def test_the_json_schema_has_each_question_with_the_same_choices(model):
    properties = _schema_properties(model)
    assert set(properties) - ENGINE_NOT_ANSWERS[model] == set(questions.names(model))
    for q in questions.CATALOGUE[model]:
        enum = _schema_enum(properties[q.name])
        if q.choices and (model, q.name) not in FREE_CHOICES:
            assert set(enum or ()) == {value for value, _label in q.choices}, q.name
        else:
            assert enum is None, f"{q.name} has choices in the schema only"


def test_each_engine_enum_is_the_model_choices_of_the_same_name_value_for_value():
    # The Django adapter copies a stored code straight into the engine: the engine's enum
    # must hold the same codes, in the same order, as the model's choices it mirrors.
    engine_enums = {
        name: enum
        for name, enum in vars(engine).items()
        if isinstance(enum, type)
        and issubclass(enum, StrEnum)
        and enum is not StrEnum
        # Personas are counted per question (PERSONA_ANSWERS), not chosen.
        and enum is not engine.Persona
    }
    assert engine_enums, "the engine's enums moved"
    for name, enum in engine_enums.items():
        choices = getattr(models, name, None)
        assert choices is not None, f"{name} has no model choices of the same name"
        assert [member.value for member in enum] == list(choices.values), name


def _engine_default(model, name):
    default = {f.name: f for f in dataclasses.fields(ENGINE_INPUTS[model])}[name].default
    return None if default is dataclasses.MISSING else default


@MODELS
def test_an_unanswered_question_means_the_same_to_the_engine_as_to_the_model(model):
    # A document that leaves an answer out is scored with the engine's default; a stored
    # site left blank is scored with the model's: the two must agree.
    for q in _engine_questions(model):
        field = q.field
        if field.has_default():
            expected = field.get_default()
        elif field.null or not field.blank:
            expected = None  # nothing, or no default at all (a required answer)
        else:
            expected = ""
        assert _engine_default(model, q.name) == expected, q.name


# How the engine's input annotations read each JSON Schema type.
ANNOTATION_OF_TYPE = {"integer": "int", "number": "float", "string": "str"}


@MODELS
def test_each_engine_input_field_takes_the_type_the_schema_gives(model):
    properties = _schema_properties(model)
    annotations = {f.name: f.type for f in dataclasses.fields(ENGINE_INPUTS[model])}
    for q in _engine_questions(model):
        node, annotation = properties[q.name], annotations[q.name]
        types = node.get("type", "string")  # an enum is a string of the model's choices
        types = [types] if isinstance(types, str) else types
        expected = "date" if node.get("format") == "date" else ANNOTATION_OF_TYPE[types[0]]
        assert annotation.split(" | ")[0] == expected, (q.name, annotation, node)
        assert ("None" in annotation) == ("null" in types), (q.name, annotation, types)


@MODELS
def test_the_engine_refuses_a_number_beyond_the_bounds_the_schema_gives(model):
    properties = _schema_properties(model)
    base = {Assessment: {}, Site: {"name": "HQ", "country": "GB"}}.get(
        model, {"down_mbps": 10, "up_mbps": 10}
    )
    bounded = [
        (q.name, properties[q.name])
        for q in _engine_questions(model)
        if {"minimum", "maximum"} & set(properties[q.name])
    ]
    assert bounded, "no number has bounds"
    for name, node in bounded:
        whole = "integer" in node["type"]
        step = 1 if whole else 0.001
        for bound, beyond in (("minimum", -step), ("maximum", step)):
            if bound not in node:
                continue
            limit = node[bound]
            ENGINE_INPUTS[model](**(base | {name: limit}))  # the bound itself is an answer
            with pytest.raises(engine.InputError, match=name):
                ENGINE_INPUTS[model](**(base | {name: limit + beyond}))


def test_users_by_persona_take_the_engine_bounds_the_schema_gives():
    # Counts of users by persona reach the engine as SiteInput.personas: the schema's
    # bounds must be the engine's, or a document the schema accepts fails to score.
    properties = _schema_properties(Site)
    for name in PERSONA_ANSWERS:
        node = properties[name]
        assert node["type"] == ["integer", "null"] and node["default"] is None
        for value, accepted in (
            (node["minimum"], True),
            (node["maximum"], True),
            (node["minimum"] - 1, False),
            (node["maximum"] + 1, False),
        ):
            personas = personas_from_answers({name: value})
            if accepted:
                engine.SiteInput(name="HQ", country="GB", personas=personas)
            else:
                with pytest.raises(engine.InputError, match="personas"):
                    engine.SiteInput(name="HQ", country="GB", personas=personas)


@MODELS
def test_the_file_columns_are_questions_placed_once(model):
    carried = questions.file_columns(model)
    places = [q.column_place for q in carried]
    assert places == [None] * len(places) or sorted(places) == list(range(1, len(places) + 1))
    headings = [q.column for q in carried]
    assert len(set(headings)) == len(headings), "two questions share a file heading"


def test_a_question_reads_its_label_help_and_choices_from_the_model_field():
    wifi = questions.question(Site, "wifi")
    field = Site._meta.get_field("wifi")
    assert wifi.help_text == str(field.help_text)
    assert wifi.choices == [(value, str(label)) for value, label in field.choices]
    assert questions.question(Assessment, "sbc_count").label == "Number of SBCs"
    assert questions.question(Site, "qos").label == "QoS (DSCP)"
    with pytest.raises(KeyError, match="Site.position"):
        questions.question(Site, "position")


# The field lists as they were written out by hand before the catalogue, once, literally:
# the lists derived from the catalogue must keep their contents and order.
BEFORE_QUESTION_SECTIONS = [
    (
        "telephony",
        "Today's telephony",
        [
            "current_telephony",
            "pbx_contract_end",
            "current_carriers",
            "keep_current_carrier",
            "carrier_in_operator_connect",  # asked since the recommendation's ruleset 2.0.0
            "multi_carrier",
            "existing_sbcs",
            "sbc_count",
            "sbc_details",
            "users_on_skype_server",
            # Asked since the cost of ownership (issue 18): licences already held.
            "teams_phone_licences",
            "teams_phone_licences_count",
        ],
    ),
    (
        "operations",
        "How you want to run voice",
        [
            "operating_model",
            "voice_skills",
            "voice_staff_fte",
            "risk_tolerance",
            "timeline",
            "it_hourly_cost",  # since the cost of ownership (issue 18)
        ],
    ),
    (
        "features",
        "Calling features and integrations",
        [
            "routing_complexity",
            "pbx_coexistence",
            "survivability_required",
            "contact_centre",
            "compliance_recording",
            "mobile_first_share",
            "auto_attendants_queues",  # since the cost of ownership (issue 18)
        ],
    ),
    (
        "numbers",
        "Numbers and emergency calling",
        [
            "phone_numbers",
            "porting_required",
            "dynamic_emergency_required",
            "security_desk_notification",
            "notes",
        ],
    ),
]
PEOPLE = [
    "users",
    "peak_concurrency",
    "audio_only_users",
    "office_video_users",
    "heavy_video_users",
    "teams_rooms",
    "common_area_phones",
    "analog_devices",
    "fax_lines",
    "door_elevator_phones",
    "overhead_paging",
]
BEFORE_SITE_SECTIONS = [
    ("Location", ["name", "country", "city", "address"]),
    ("People and devices", PEOPLE),
    (
        "Network",
        [
            "internet_breakout",
            "backhaul_hub",
            "sdwan",
            "lte_backup",
            "proxy",
            "vpn",
            "qos",
            "wifi",
            "firewall_media_ports",
        ],
    ),
    (
        "Measured path quality",
        [
            "client_rtt_ms",
            "client_jitter_ms",
            "client_loss_pct",
            "client_reorder_pct",
            "edge_rtt_ms",
            "edge_jitter_ms",
            "edge_loss_pct",
            "edge_reorder_pct",
            "measured_on",
            "measured_where",
            "measurement_tool",
        ],
    ),
    (
        "Calling",
        ["operator_available", "regulation", "needs_survivability", "emergency_address_ready"],
    ),
    ("Notes", ["notes"]),
]
BEFORE_SITE_GROUPS = [
    ("Where it is", ["name", "country", "city", "address"]),
    ("People and devices", PEOPLE),
    (
        "Network",
        ["internet_breakout", "backhaul_hub", "sdwan", "lte_backup", "proxy", "vpn", "qos", "wifi"],
    ),
    (
        "Calling at this site",
        ["firewall_media_ports", "needs_survivability", "emergency_address_ready", "notes"],
    ),
]
BEFORE_GRID_FIELDS = [
    "name",
    "country",
    "city",
    "users",
    "teams_rooms",
    "internet_breakout",
    "lte_backup",
    "qos",
    "wifi",
    "client_rtt_ms",
    "client_jitter_ms",
    "client_loss_pct",
]
# The network answers a plan changes, first in both the bulk-set and the scenario lists.
PLAN = ["lte_backup", "sdwan", "internet_breakout", "proxy", "vpn", "qos", "wifi"]
BEFORE_BULK_FIELDS = [
    *PLAN,
    "firewall_media_ports",
    "operator_available",
    "regulation",
    "needs_survivability",
    "emergency_address_ready",
    "overhead_paging",
    "peak_concurrency",
    "teams_rooms",
    "users",
]
BEFORE_SCENARIO_SITE_FIELDS = [
    *PLAN,
    "firewall_media_ports",
    "emergency_address_ready",
    "operator_available",
    "needs_survivability",
    "peak_concurrency",
    "client_rtt_ms",
    "client_jitter_ms",
    "client_loss_pct",
    "edge_rtt_ms",
    "edge_jitter_ms",
    "edge_loss_pct",
]
BEFORE_CIRCUIT_FIELDS = ["role", "kind", "down_mbps", "up_mbps", "provider"]


def test_the_field_lists_derived_from_the_catalogue_are_the_lists_pages_used_before():
    question_fields = [name for _key, _title, names in BEFORE_QUESTION_SECTIONS for name in names]
    assert questions.sections(Assessment) == BEFORE_QUESTION_SECTIONS
    assert forms.QuestionnaireForm._meta.fields == question_fields
    site_sections = [(title, names) for _key, title, names in questions.sections(Site)]
    assert site_sections == BEFORE_SITE_SECTIONS
    assert forms.SiteForm._meta.fields == [n for _t, names in BEFORE_SITE_SECTIONS for n in names]
    assert forms.SiteRowForm._meta.fields == BEFORE_GRID_FIELDS
    assert questions.bulk_fields() == BEFORE_BULK_FIELDS
    assert forms.CircuitForm._meta.fields == BEFORE_CIRCUIT_FIELDS
    assert list(assessment_services.CIRCUIT_FIELDS) == BEFORE_CIRCUIT_FIELDS
    assert questions.customer_groups("sites") == BEFORE_SITE_GROUPS
    site_fields = [n for _t, ns in BEFORE_SITE_GROUPS for n in ns]
    assert invite_forms.CustomerSiteForm._meta.fields == site_fields
    assert scenarios.SITE_FIELDS == BEFORE_SCENARIO_SITE_FIELDS
    assert [name for name in question_fields if name != "notes"] == scenarios.ORG_FIELDS


def test_the_customer_steps_ask_the_organisation_sections_with_voice_a_step_of_its_own():
    sections = {key: (title, names) for key, title, names in BEFORE_QUESTION_SECTIONS}
    voice = [sections.pop("operations")]
    assert questions.customer_groups("voice") == voice
    assert questions.customer_groups("organisation") == list(sections.values())
    assert invite_forms.VoiceAnswersForm._meta.fields == voice[0][1]
    organisation = [name for _title, names in sections.values() for name in names]
    assert invite_forms.OrganisationAnswersForm._meta.fields == organisation


def test_pages_read_field_lists_from_the_catalogue_not_from_copies_in_form_modules():
    retired = {
        forms: ("QUESTION_SECTIONS", "QUESTION_FIELDS", "SITE_SECTIONS", "GRID_FIELDS"),
        invite_forms: ("SITE_GROUPS", "CUSTOMER_SITE_FIELDS", "ORGANISATION_FIELDS"),
    }
    for module, names in retired.items():
        kept = [name for name in (*names, "BULK_FIELDS", "VOICE_FIELDS") if hasattr(module, name)]
        assert not kept, f"{module.__name__} keeps copies of the catalogue's lists: {kept}"


def test_scenarios_read_their_field_lists_from_the_catalogue_not_from_forms():
    source = scenarios.__file__
    with open(source, encoding="utf-8") as f:
        text = f.read()
    assert "QUESTION_FIELDS" not in text and "SITE_SECTIONS" not in text
    assert "questions.scenario_fields(" in text


# The proposal appendix's site tables as they were written out by hand in
# proposals/pdf/context.py (now sections/appendix.py) before the catalogue, once, literally.
BEFORE_SITE_TABLES = (
    (
        "People, devices and PSTN",
        (
            ("", (("users", "Users"), ("peak_concurrency", "Peak %")), "w-10"),
            (
                "",
                (
                    ("teams_rooms", "Rooms"),
                    ("common_area_phones", "Common area"),
                    ("analog_devices", "Analog"),
                    ("fax_lines", "Fax"),
                    ("door_elevator_phones", "Door/lift"),
                ),
                "w-24",
            ),
            ("", (("overhead_paging", "Paging"), ("needs_survivability", "Survivability")), ""),
            ("", (("operator_available", "Operator"), ("regulation", "Regulation")), ""),
            ("", (("emergency_address_ready", "Emergency addresses"),), ""),
        ),
    ),
    (
        "Network setup",
        (
            ("", (("circuits", "Circuits (down/up Mbps)"),), "w-30"),
            ("", (("sdwan", "SD-WAN"), ("lte_backup", "LTE/5G")), ""),
            ("", (("internet_breakout", "Breakout"), ("proxy", "Proxy"), ("vpn", "VPN")), ""),
            (
                "",
                (("qos", "QoS"), ("wifi", "Wi-Fi"), ("firewall_media_ports", "UDP 3478-3481")),
                "w-24",
            ),
        ),
    ),
    (
        "Measurements",
        tuple(
            (
                f"{where}: ",
                (
                    (f"{segment}_rtt_ms", "RTT ms"),
                    (f"{segment}_jitter_ms", "jitter ms"),
                    (f"{segment}_loss_pct", "loss %"),
                    (f"{segment}_reorder_pct", "reorder %"),
                ),
                "w-30",
            )
            for segment, where in (("client", "Client"), ("edge", "Customer edge"))
        )
        + (("", (("measured_on", "Measured on"), ("measurement_tool", "Tool")), ""),),
    ),
)


def test_the_proposal_appendix_tables_derive_from_the_catalogue_as_they_were_written():
    assert questions.appendix_tables() == BEFORE_SITE_TABLES
    assert pdf_appendix.SITE_TABLES == BEFORE_SITE_TABLES
    with open(pdf_appendix.__file__, encoding="utf-8") as f:
        assert '"Survivability"' not in f.read(), "the appendix labels are written once"


def test_an_appendix_label_is_the_form_label_unless_the_appendix_shortens_it():
    placed = [q for q in questions.SITE if q.appendix]
    assert {q.appendix[0] for q in placed} <= set(questions.APPENDIX_COLUMNS)
    assert len({q.appendix for q in placed}) == len(placed), "two answers in one place"
    for q in placed:
        assert q.short != q.label, f"{q.name}: a short label that is not shorter"
        assert q.appendix_label == (q.short or q.label)


def test_every_question_a_customer_is_asked_has_customer_wording_and_no_other_has():
    asked = {
        (Assessment, name)
        for step in ("organisation", "voice")
        for name in questions.customer_fields(step)
    }
    asked |= {(Site, name) for name in questions.customer_fields("sites")}
    asked |= {(Circuit, name) for name in questions.names(Circuit)}
    worded = {
        (model, q.name)
        for model, entries in questions.CATALOGUE.items()
        for q in entries
        if q.customer_wording
    }
    assert worded == asked


def test_a_reworded_choice_is_a_choice_the_question_has():
    for entries in questions.CATALOGUE.values():
        for q in entries:
            reworded = dict(q.customer_wording.choices) if q.customer_wording else {}
            assert set(reworded) <= {value for value, _label in q.choices}, q.name
    segment = questions.MEASUREMENT_STEP["segment"]
    assert set(dict(segment.choices)) == set(Segment.values)


def test_a_customer_reads_reworded_choices_and_the_staff_label_of_the_others():
    risk = questions.question(Assessment, "risk_tolerance")
    assert risk.customer_choices[0] == ("unknown", "Don't know")
    assert ("low", "Low: calling must just work") in risk.customer_choices
    assert [v for v, _l in risk.customer_choices] == [v for v, _l in risk.choices]
    # A question customers are not asked reads as staff read it.
    rtt = questions.question(Site, "client_rtt_ms")
    assert (rtt.customer_label, rtt.customer_help) == (rtt.label, rtt.help_text)


def test_the_measurement_step_words_every_field_of_its_forms():
    for form in (NatUploadForm(), MeasurementPasteForm()):
        assert set(form.fields) <= set(questions.MEASUREMENT_STEP), type(form).__name__


def _how_it_cleans(field) -> tuple:
    validators = [(type(v).__name__, getattr(v, "limit_value", None)) for v in field.validators]
    choices = list(getattr(field, "choices", ()) or ())
    return type(field), field.required, validators, choices, getattr(field, "coerce", None)


def test_a_questions_own_form_field_cleans_as_the_staff_form_does():
    staff_forms = {Assessment: forms.QuestionnaireForm, Site: forms.SiteForm}
    for model, form in staff_forms.items():
        refined = set(form.declared_fields) | set(getattr(form.Meta, "field_classes", {}))
        for q in questions.CATALOGUE[model]:
            if q.name in refined:
                # The form cleans it its own way: a service validating it alone would not.
                assert q.name not in questions.scenario_fields(model), q.name
                continue
            assert _how_it_cleans(q.form_field()) == _how_it_cleans(form.base_fields[q.name])
    assert questions.question(Site, "peak_concurrency").form_field().clean("40") == 40
    with pytest.raises(django_forms.ValidationError):
        questions.question(Site, "lte_backup").form_field().clean("maybe")
