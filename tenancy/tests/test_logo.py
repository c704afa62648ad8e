"""Logos: type judged from content, size-limited, SVGs rebuilt from an allowlist and budgeted."""

import html
import io
import time

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

import pytest
from defusedxml import ElementTree as SafeET
from PIL import Image

from assessments.forms import OrganisationForm
from proposals.services import branding_snapshot
from tenancy.branding import (
    LogoError,
    check_svg_budget,
    sanitize_svg,
    sniff_image_type,
    validate_logo,
)
from tenancy.tests import svg_samples
from tests.factories import form_data, messages_of

SETTINGS = reverse("tenancy:organisation-settings")

BENIGN = b"""<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 120 40" width="120" height="40">
  <title>Northwind</title>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#1f4e79"/></linearGradient></defs>
  <rect width="120" height="40" fill="url(#g)" style="stroke:#000;stroke-width:2"/>
  <circle id="dot" cx="20" cy="20" r="8" fill="#fff"/>
  <use xlink:href="#dot" x="30"/>
  <text x="60" y="26" font-family="Inter" font-size="14" fill="#fff">North<tspan>wind</tspan></text>
</svg>"""

HOSTILE = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     viewBox="0 0 10 10" onload="alert(1)">
  <script>alert(document.cookie)</script>
  <script xlink:href="https://attacker.example/x.js"/>
  <foreignObject width="10" height="10"><iframe xmlns="http://www.w3.org/1999/xhtml" src="https://attacker.example"/></foreignObject>
  <a href="javascript:alert(1)"><rect width="5" height="5"/></a>
  <image href="https://attacker.example/track.png" width="1" height="1"/>
  <image xlink:href="file:///etc/passwd" width="1" height="1"/>
  <use href="https://attacker.example/sprite.svg#icon"/>
  <use xlink:href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4="/>
  <rect width="10" height="10" fill="url(https://attacker.example/p.svg#x)" onclick="steal()"
        style="fill:url(http://attacker.example/);stroke:red;behavior:url(x.htc)"/>
  <style>@import url(https://attacker.example/x.css); rect { fill: url(//attacker.example) }</style>
  <animate attributeName="href" to="javascript:alert(1)"/>
  <set attributeName="onmouseover" to="alert(1)"/>
  <circle cx="5" cy="5" r="2" fill="#123456"/>
</svg>"""


def png_bytes(size=(40, 20)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "#1f4e79").save(out, "PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "#1f4e79").save(out, "JPEG")
    return out.getvalue()


def test_a_benign_logo_survives_sanitising():
    clean, removed = sanitize_svg(BENIGN)
    assert removed == []
    text = clean.decode()
    for kept in ('viewBox="0 0 120 40"', 'fill="url(#g)"', "stroke:#000", 'href="#dot"', "wind"):
        assert kept in text, kept
    assert sniff_image_type(clean) == "image/svg+xml"


def test_scripts_handlers_foreign_objects_and_external_references_are_removed():
    clean, removed = sanitize_svg(HOSTILE)
    text = clean.decode().lower()
    for gone in (
        "script", "onload", "onclick", "onmouseover", "javascript:", "foreignobject", "iframe",
        "attacker.example", "file://", "data:", "<image", "<a ", "<style", "@import", "animate",
        "<set", "behavior",
    ):  # fmt: skip
        assert gone not in text, gone
    assert 'fill="#123456"' in text  # drawing content stays
    assert "stroke:red" in text
    assert removed


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&x;</text></svg>',
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><text>&b;</text></svg>',
        b"<svg xmlns='http://www.w3.org/2000/svg'><rect",
        b"<html><svg></svg></html>",
        b"<svg xmlns='http://www.w3.org/2000/svg'><rect width='1' height='1'/></svg>",  # no size
    ],
)
def test_unsafe_or_broken_svgs_are_refused(payload):
    with pytest.raises(LogoError):
        validate_logo(payload)


def test_type_comes_from_content_not_the_name():
    assert validate_logo(png_bytes())[1] == "image/png"
    assert validate_logo(jpeg_bytes())[1] == "image/jpeg"
    with pytest.raises(LogoError, match="PNG, JPEG or SVG"):
        validate_logo(b"GIF89a....")
    with pytest.raises(LogoError, match="damaged"):
        validate_logo(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    with pytest.raises(LogoError, match="limit is 1 MB"):
        validate_logo(b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024 + 1))
    with pytest.raises(LogoError, match="pixels"):
        validate_logo(png_bytes((5000, 10)))


def post_logo(client, world, upload, **overrides):
    data = form_data(OrganisationForm(instance=world.org), **overrides)
    data["logo_file"] = upload
    return client.post(SETTINGS, data, follow=True)


def test_admin_uploads_an_svg_logo_that_is_stored_sanitised_and_used_by_proposals(world, login):
    client = login(world.admin)
    response = post_logo(client, world, SimpleUploadedFile("logo.png", HOSTILE, "image/png"))
    assert "Branding saved: customer pages and new proposals use it." in messages_of(response)
    world.org.refresh_from_db()
    assert world.org.logo.name.endswith(".svg")  # named after its content, not the upload
    stored = world.org.logo.read()
    assert b"script" not in stored and b"attacker" not in stored
    served = client.get(reverse("tenancy:brand-logo"))
    assert served["Content-Type"] == "image/svg+xml"
    assert "sandbox" in served["Content-Security-Policy"]
    assert served["X-Content-Type-Options"] == "nosniff"
    assert branding_snapshot(world.org)["logo_data_uri"].startswith("data:image/svg+xml;base64,")


def test_a_png_logo_can_be_replaced_and_removed(world, login):
    client = login(world.admin)
    post_logo(client, world, SimpleUploadedFile("x.svg", png_bytes(), "image/svg+xml"))
    world.org.refresh_from_db()
    assert world.org.logo.name.endswith(".png")
    version = world.org.version
    data = form_data(OrganisationForm(instance=world.org), remove_logo=True)
    client.post(SETTINGS, data)
    world.org.refresh_from_db()
    assert not world.org.logo and world.org.version > version
    assert client.get(reverse("tenancy:brand-logo")).status_code == 404


def test_a_bad_logo_is_explained_and_nothing_is_saved(world, login):
    client = login(world.admin)
    response = post_logo(
        client,
        world,
        SimpleUploadedFile("logo.png", b"MZ\x90\x00 not an image", "image/png"),
        company_name="Changed Ltd",
    )
    assert response.status_code == 200
    assert "Upload a PNG, JPEG or SVG image" in response.content.decode()
    world.org.refresh_from_db()
    assert not world.org.logo and world.org.company_name == "Northwind Voice Ltd"


def test_members_see_only_their_own_logo(world, login):
    post_logo(login(world.admin), world, SimpleUploadedFile("l.png", png_bytes(), "image/png"))
    assert login(world.outsider).get(reverse("tenancy:brand-logo")).status_code == 404
    assert login(world.owner).get(reverse("tenancy:brand-logo")).status_code == 200


PATHOLOGICAL = {
    "use fan-out (the issue's logo)": (svg_samples.use_laughs(), "more than 5,000 elements"),
    "mask fan-out": (svg_samples.mask_fan_out(), "more than 5,000 elements"),
    "deep nesting": (svg_samples.deep_nesting(), "nests elements more than 64 deep"),
    "many elements": (svg_samples.many_elements(), "20,001 elements"),
    "huge size": (svg_samples.huge(), "1,000,000 pixels on one side"),
    "huge size in inches": (svg_samples.huge("200in", "1in"), "19,200 pixels"),
    "huge viewBox": (svg_samples.huge("100%", "100%", "0 0 1e9 1"), "millions of pixels"),
    "reference loop": (svg_samples.reference_loop(), "round in a loop"),
    "gradient chain": (svg_samples.gradient_chain(), "more than 4 levels deep"),
}


@pytest.mark.parametrize("payload, says", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_an_svg_that_would_stall_the_renderer_is_refused_at_upload(world, login, payload, says):
    assert len(payload) < 1024 * 1024  # every one is under the file size limit
    response = post_logo(
        login(world.admin), world, SimpleUploadedFile("logo.svg", payload, "image/svg+xml")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert says in html.unescape(page)
    assert "upload a PNG" in html.unescape(page) or "Set a smaller width" in page
    world.org.refresh_from_db()
    assert not world.org.logo


def test_the_refusal_is_fast_whatever_the_file_draws():
    started = time.perf_counter()
    for payload, _says in PATHOLOGICAL.values():
        with pytest.raises(LogoError):
            validate_logo(payload)
    assert time.perf_counter() - started < 5  # one pass each; nothing is drawn out


def test_symbols_placed_a_few_times_are_a_normal_logo_and_kept():
    clean, kind = validate_logo(svg_samples.symbols_logo())
    assert kind == "image/svg+xml"
    assert clean.count(b"<use") == 6 and b"<symbol" in clean
    check_svg_budget(SafeET.fromstring(clean))  # what is stored is within the budget too


def test_a_stored_logo_over_the_budget_is_not_served_and_the_admin_is_told(world, login):
    # Stored before the budget existed: it never went through today's upload check.
    world.org.logo.save("old.svg", ContentFile(svg_samples.use_laughs()), save=True)
    client = login(world.admin)
    assert client.get(reverse("tenancy:brand-logo")).status_code == 404
    slug_url = reverse("tenancy:brand-logo-public", args=[world.org.slug])
    assert client.get(slug_url).status_code == 404
    assert branding_snapshot(world.org)["logo_data_uri"] == ""
    page = html.unescape(client.get(SETTINGS).content.decode())
    assert "The stored logo is left out of customer pages and proposals" in page
    assert "more than 5,000 elements" in page
