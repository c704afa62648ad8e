"""Fuzzing: generated posts to the staff forms and the JSON API never cause a server error
and never leave a half-saved change behind.

The values include what broke the portal before (issue 12): digit-like unicode that passes
``str.isdigit()`` but not ``int()``, NUL (refused by PostgreSQL), lone surrogates, deep
nesting and numbers of thousands of digits. CI runs these on PostgreSQL.
"""

import json
import math

from django.db import transaction
from django.test import Client
from django.urls import reverse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.models import ApiToken
from assessments import questions
from assessments.forms import GridRowForm
from assessments.models import Assessment, Change, Circuit, Customer, Site
from assessments.parsing import parse_int

pytestmark = pytest.mark.django_db

QUESTION_FIELDS = questions.names(Assessment)
SITE_FIELDS = questions.names(Site)
GRID_FIELDS = list(GridRowForm.base_fields)

# Values people (and attackers) type: unicode, huge strings, markup, odd numbers, wrong types.
nasty_text = st.one_of(
    st.text(max_size=40),
    st.text(min_size=2_000, max_size=5_000, alphabet="ab€😀\u202e"),
    st.sampled_from(
        [
            "",
            " ",
            "<script>alert(1)</script>",
            "=cmd|' /C calc'!A0",
            "NaN",
            "inf",
            "-inf",
            "1e309",
            "-1",
            "-0",
            "0x10",
            "١٢٣",
            "\x00",
            "null",
            "[]",
            "{}",
            "unknown",
            "yes",
            "2026-02-30",
            "9" * 40,
            "²",
            "٣",
            "¹²³",
            "9" * 5_000,
            "1" + "0" * 19,
            "1\x00",
            "Contoso\x00",
        ]
    ),  # fmt: skip
)
# Text that passes str.isdigit() but is no number int() reads as the person meant.
digit_like = st.one_of(
    st.sampled_from(["²", "٣", "¹²³", "9" * 5_000, "0" * 5_000 + "1", "1" + "0" * 19, "1\x00"]),
    st.text(alphabet="0123456789²³¹٣٤۵߇१০", min_size=1, max_size=30),
)
nasty_number = st.one_of(
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    nasty_text,
)


def form_posts(fields: list[str]):
    """Dicts with some of ``fields`` (others missing), each with a nasty value."""
    return st.dictionaries(
        st.sampled_from(fields), st.one_of(nasty_text, nasty_number), max_size=len(fields)
    )


def snapshot() -> tuple:
    return (
        list(Customer.objects.order_by("pk").values_list("pk", "name", "version")),
        list(Assessment.objects.order_by("pk").values_list("pk", "version", "status")),
        list(Site.objects.order_by("pk").values_list("pk", "name", "version")),
        Circuit.objects.count(),
        Change.objects.count(),
    )


def post_and_check(client: Client, url: str, data: dict, *, htmx: bool = False) -> None:
    """Post ``data``: no 5xx; and a refused post changes nothing in the database."""
    with transaction.atomic():
        before = snapshot()
        headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
        response = client.post(url, data, **headers)
        assert response.status_code < 500, (url, data, response.status_code)
        body = response.content.decode("utf-8", "replace")
        refused = (
            response.status_code in (200, 400, 403, 404, 409, 413, 422)
            and not htmx
            or 'data-status="invalid"' in body
            or "Not added" in body
        )
        if refused:
            assert snapshot() == before, (url, data)
        transaction.set_rollback(True)


FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@FUZZ
@given(data=form_posts(["name", "industry", "country", "contact_name", "contact_email"]))
def test_customer_create(world, data):
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    post_and_check(client, reverse("assessments:customer-create"), data)


@FUZZ
@given(data=form_posts(["customer", "new_customer", "country", "title"]))
def test_assessment_create(world, data):
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    post_and_check(client, reverse("assessments:assessment-create"), data)


@FUZZ
@given(data=form_posts([*QUESTION_FIELDS, "version"]))
def test_questionnaire(world, data):
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    url = reverse("assessments:questionnaire", args=[world.assessment.pk])
    post_and_check(client, url, data)
    autosave = reverse("assessments:questionnaire-autosave", args=[world.assessment.pk])
    post_and_check(client, autosave, data, htmx=True)


@FUZZ
@given(data=form_posts([*SITE_FIELDS, "version", "circuits-TOTAL_FORMS", "circuits-0-down_mbps"]))
def test_site_form(world, data):
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    data = {"circuits-TOTAL_FORMS": "1", "circuits-INITIAL_FORMS": "0", **data}
    url = reverse("assessments:site-update", args=[world.assessment.pk, world.hq.pk])
    post_and_check(client, url, data)


@FUZZ
@given(data=form_posts(GRID_FIELDS))
def test_grid_rows(world, data):
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    save = reverse("assessments:site-row-save", args=[world.assessment.pk, world.hq.pk])
    post_and_check(client, save, data, htmx=True)
    add = reverse("assessments:site-row-create", args=[world.assessment.pk])
    post_and_check(client, add, data, htmx=True)


@FUZZ
@given(data=form_posts(["sites", "field", "value"]))
def test_bulk_set(world, data):
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    post_and_check(client, reverse("assessments:site-bulk-set", args=[world.assessment.pk]), data)


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=30),
        st.sampled_from(["XX", "a\x00b", "\ud800", "x\udfff", "STUTTGART HQ", "n" * 6_000]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ
@given(
    mutation=st.tuples(
        st.sampled_from(["answers", "site", "circuit", "meta", "root"]),
        st.text(min_size=1, max_size=25),
        json_values,
    )
)
def test_api_documents(world, mutation):
    from assessments.services.documents import assessment_export

    _token, raw = ApiToken.issue(user=world.owner, name="fuzz")
    document = assessment_export(world.assessment)
    where, key, value = mutation
    target = {
        "answers": document["answers"],
        "site": document["sites"][0],
        "circuit": document["sites"][0]["circuits"][0],
        "meta": document["meta"],
        "root": document,
    }[where]
    target[key if key not in target or where == "root" else key] = value
    client = Client(raise_request_exception=False)
    for name in ("api:score", "api:assessment-create"):
        with transaction.atomic():
            before = snapshot()
            response = client.post(
                reverse(name),
                json.dumps(document, allow_nan=False) if _finite(document) else "{}",
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {raw}",
            )
            assert response.status_code in (200, 201, 400), response.content[:300]
            if response.status_code == 400:
                assert snapshot() == before
                assert response.json()["error"]
            transaction.set_rollback(True)


@FUZZ
@given(body=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)))
def test_api_garbage_bodies(world, body):
    _token, raw = ApiToken.issue(user=world.owner, name="fuzz")
    client = Client(raise_request_exception=False)
    response = client.post(
        reverse("api:score"), body, content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )  # fmt: skip
    assert response.status_code in (200, 400)


def _finite(value) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


# Files people upload by mistake or on purpose: random bytes, near-CSV text, odd encodings.
upload_bytes = st.one_of(
    st.binary(max_size=2_000),
    st.text(max_size=1_000).map(lambda t: t.encode("utf-8")),
    st.lists(
        st.lists(st.one_of(nasty_text, nasty_number), min_size=1, max_size=8),
        min_size=1,
        max_size=12,
    ).map(lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [
            b"\x89PNG\r\n\x1a\n" + b"\x00" * 50,
            b"PK\x03\x04" + b"\x00" * 100,
            b"\xff\xfeS\x00i\x00t\x00e\x00",
            b"TIMESTAMP,LOSS RATE,LATENCY,JITTER\n2026-01-01 10:00:00,abc,-5,1e999\n",
            b"Site,Country,Users\n" + b"x," * 5000,
        ]
    ),
)


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@FUZZ
@given(data=upload_bytes, name=st.sampled_from(["sites.csv", "sites.xlsx", "x.txt", "noext"]))
def test_site_import_uploads(world, data, name):
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    url = reverse("imports:site-import", args=[world.assessment.pk])
    with transaction.atomic():
        before = snapshot()
        response = client.post(url, {"file": _upload(name, data)})
        assert response.status_code < 500
        assert snapshot()[:4] == before[:4]  # a preview saves no site, however bad the file
        transaction.set_rollback(True)


@FUZZ
@given(data=upload_bytes, segment=st.sampled_from(["client", "edge", "sideways", ""]))
def test_measurement_uploads(world, data, segment):
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    url = reverse("imports:measurement-upload", args=[world.assessment.pk, world.hq.pk])
    with transaction.atomic():
        response = client.post(url, {"file": _upload("nat.csv", data), "segment": segment})
        assert response.status_code < 500
        transaction.set_rollback(True)


# The other forms, each with the fields it takes, posted with generated values.
def _invite_token(world):
    from tests.factories import invite_issue

    return invite_issue(world.assessment, by=world.owner, name="Fuzz").token


def _customer_posts(world):
    organisation, voice, sites = (
        questions.customer_fields(step) for step in ("organisation", "voice", "sites")
    )
    token = _invite_token(world)
    hq = world.hq.pk
    return [
        (f"/i/{token}/organisation/autosave/", [*organisation, "version"], True),
        (f"/i/{token}/voice/autosave/", [*voice, "version"], True),
        (f"/i/{token}/organisation/", [*organisation, "version"], False),
        (f"/i/{token}/sites/new/", sites, False),
        (f"/i/{token}/sites/{hq}/autosave/", [*sites, "version"], True),
        (f"/i/{token}/sites/{hq}/", [*sites, "version"], False),
        (
            f"/i/{token}/measurements/{hq}/figures/",
            ["segment", "rtt_ms", "jitter_ms", "loss_pct", "reorder_pct", "measured_on"],
            False,
        ),
    ]


@FUZZ
@given(data=st.data())
def test_customer_invite_forms(world, data):
    client = Client(raise_request_exception=False)
    for url, fields, htmx in _customer_posts(world):
        post = data.draw(form_posts(fields))
        with transaction.atomic():
            headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
            response = client.post(url, post, **headers)
            assert response.status_code < 500, (url, post)
            transaction.set_rollback(True)


STAFF_FORMS = [
    ("invites:invites", ["contact_name", "email", "sections", "valid_days"]),
    ("tenancy:member-list", [
        "first_name", "last_name", "email", "username", "role", "password",
    ]),
    ("tenancy:organisation-settings", [
        "company_name", "primary_colour", "accent_colour", "font", "contact_email",
        "contact_phone", "website", "address", "legal_footer", "version", "remove_logo",
    ]),
    ("tokens:list", ["name"]),
    ("tenancy:profile", ["first_name", "last_name", "email"]),
    ("tenancy:password-change", ["old_password", "new_password1", "new_password2"]),
    ("assessments:assessment-clone", ["customer", "title"]),
    ("assessments:scenarios", ["name"]),
    ("assessments:scenario-change-add", ["target", "value", "sites"]),
    ("imports:measurement-paste", [
        "segment", "rtt_ms", "jitter_ms", "loss_pct", "reorder_pct", "measured_on",
        "measured_where", "tool",
    ]),
    ("assessments:assessment-update", ["title", "owner", "status", "version"]),
    ("assessments:customer-update", ["name", "industry", "country", "contact_email", "version"]),
]  # fmt: skip


@FUZZ
@given(data=st.data())
def test_other_staff_forms(world, data):
    from assessments.models import Scenario

    scenario = Scenario.objects.create(assessment=world.assessment, name="Fuzz")
    client = Client(raise_request_exception=False)
    client.force_login(world.admin)
    for name, fields in STAFF_FORMS:
        kwargs = {}
        if name in {"invites:invites", "assessments:assessment-clone",
                    "assessments:scenarios", "assessments:assessment-update"}:  # fmt: skip
            kwargs = {"pk": world.assessment.pk}
        elif name == "assessments:customer-update":
            kwargs = {"pk": world.customer.pk}
        elif name == "assessments:scenario-change-add":
            kwargs = {"pk": world.assessment.pk, "scenario_pk": scenario.pk}
        elif name == "imports:measurement-paste":
            kwargs = {"pk": world.assessment.pk, "site_pk": world.hq.pk}
        post = data.draw(form_posts(fields))
        post_and_check(client, reverse(name, kwargs=kwargs), post)


def _no_server_error(response) -> None:
    """No 5xx, also for a streamed body (a CSV export fails while it streams, not before)."""
    assert response.status_code < 500, response.status_code
    if response.streaming:
        b"".join(response.streaming_content)


@FUZZ
@given(
    owner=digit_like,
    value=st.one_of(nasty_text, digit_like),
    key=st.sampled_from(["q", "status", "model", "band", "country", "sort", "page"]),
)
def test_searches_and_filters(world, owner, value, key):
    client = Client(raise_request_exception=False)
    client.force_login(world.manager)
    for name in ("assessments:pipeline", "assessments:pipeline-csv"):
        _no_server_error(client.get(reverse(name), {"owner": owner}))
        _no_server_error(client.get(reverse(name), {key: value}))
    for name in ("assessments:customer-list", "assessments:dashboard"):
        _no_server_error(client.get(reverse(name), {key: value}))


@FUZZ
@given(value=st.one_of(digit_like, nasty_text))
def test_ids_versions_and_positions_in_posts(world, value):
    from assessments.models import Scenario

    scenario = Scenario.objects.create(
        assessment=world.assessment,
        name="Fuzz",
        changes=[{"scope": "sites", "field": "lte_backup", "value": "yes", "sites": []}],
    )
    client = Client(raise_request_exception=False)
    client.force_login(world.owner)
    pk, hq = world.assessment.pk, world.hq.pk
    posts = [
        (reverse("invites:invite-revoke", args=[pk]), {"invite": value}),
        (reverse("invites:invite-resend", args=[pk]), {"invite": value}),
        (reverse("assessments:scenario-change-remove", args=[pk, scenario.pk]), {"index": value}),
        (reverse("assessments:site-delete", args=[pk, hq]), {"version": value}),
        (reverse("assessments:site-bulk-set", args=[pk]),
         {"sites": [hq, value], "field": "qos", "value": "none"}),
        (reverse("assessments:scenario-change-add", args=[pk, scenario.pk]),
         {"target": "sites:lte_backup", "value": "yes", "sites": [value]}),
        (f"/i/{_invite_token(world)}/sites/{hq}/remove/", {"version": value}),
    ]  # fmt: skip
    for url, data in posts:
        if parse_int(value) is None:  # no id, position or version: refused, nothing changed
            post_and_check(client, url, data)
        else:  # "0…01" is 1, an id that may exist: then the action may really happen
            with transaction.atomic():
                _no_server_error(client.post(url, data))
                transaction.set_rollback(True)
    proposal = reverse("proposals:proposal-download", args=[pk])
    _no_server_error(client.get(proposal, {"version": value}))


# Bodies no document is: deep nesting, endless numbers, constants JSON does not have.
hostile_bodies = st.one_of(
    st.integers(min_value=33, max_value=100_000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=1_000, max_value=100_000).map(lambda n: '{"a":' * n),
    st.integers(min_value=41, max_value=6_000).map(lambda n: '{"format": ' + "7" * n + "}"),
    st.sampled_from(["NaN", "[Infinity]", '{"x": -Infinity}', '"\\ud800"', '"a\\u0000b"',
                     "1e999", "-" + "9" * 5_000]),
)  # fmt: skip


@FUZZ
@given(body=hostile_bodies)
def test_api_hostile_bodies(world, body):
    _token, raw = ApiToken.issue(user=world.owner, name="fuzz")
    client = Client(raise_request_exception=False)
    for name in ("api:score", "api:assessment-create"):
        with transaction.atomic():
            before = snapshot()
            response = client.post(
                reverse(name), body, content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {raw}",
            )  # fmt: skip
            assert response.status_code == 400, (body[:60], response.status_code)
            assert response.json()["error"]
            assert snapshot() == before
            transaction.set_rollback(True)
