"""The renderer fetches nothing but the app's static files and data: URIs, whatever the content."""

import base64

import pytest
from weasyprint.urls import URLFetchingError, fetch

from assessments.models import Site
from proposals.pdf import static_root
from proposals.pdf.brand import safe_branding
from proposals.pdf.context import build_context
from proposals.pdf.fetcher import FetchRefused, StaticOnlyFetcher
from proposals.pdf.render import render_document
from proposals.services import proposal_snapshot
from proposals.tests.conftest import flat, pdf_text

STATIC = static_root().as_uri()

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://attacker.example/x.css">',
    "<style>body { background: url(http://attacker.example/bg.png) }</style>",
    '<object data="https://attacker.example/o.svg"></object>',
    "<script>alert(1)</script>",
]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://attacker.example/x.css",
        "https://attacker.example/x.css",
        "ftp://attacker.example/x",
        f"{STATIC}/../pyproject.toml",
        f"{STATIC}/css/../../portal/settings.py",
        f"{STATIC}/js/portal.js",  # inside static/, but not a stylesheet, font or image
        "file://attacker.example/share/x.css",
        "javascript:alert(1)",
    ],
)
def test_the_fetcher_refuses_anything_outside_static_files(url):
    fetcher = StaticOnlyFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert fetcher.served == []


def test_the_fetcher_serves_static_stylesheets_fonts_and_data_uris():
    fetcher = StaticOnlyFetcher()
    css = fetcher.fetch(f"{STATIC}/pdf/proposal.css")
    assert b"table.data" in css.read()
    font = fetcher.fetch(f"{STATIC}/fonts/inter/inter-latin-400-normal.woff2")
    assert font.read()[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true")  # decompressed once
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    assert fetcher.fetch(f"data:image/png;base64,{png}").read().startswith(b"\x89PNG")
    assert len(fetcher.served) == 3


def test_a_refused_fetch_does_not_stop_the_render_but_is_an_error_inside_weasyprint():
    fetcher = StaticOnlyFetcher()
    with pytest.raises(URLFetchingError), fetch(fetcher, "http://attacker.example/x.png"):
        pass


def test_hostile_text_in_every_field_is_printed_as_text_and_fetches_nothing(world):
    world.customer.name = HOSTILE[0]
    world.customer.save()
    world.assessment.title = HOSTILE[1]
    world.assessment.current_carriers = HOSTILE[2]
    world.assessment.sbc_details = "http://attacker.example/track.gif"
    world.assessment.save()
    Site.objects.filter(pk=world.hq.pk).update(name=HOSTILE[3], city=HOSTILE[4])
    world.org.company_name = '<img src="http://attacker.example/logo.png">'
    world.org.legal_footer = "Registered office: url(file:///etc/shadow) </div><img src=x>"
    world.org.address = '<iframe src="https://attacker.example"></iframe>'
    world.org.save()
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="<b>Mallory</b>")
    rendered = render_document(build_context(snapshot, draft=True))
    fetcher = rendered.fetcher
    assert fetcher.refused == []
    assert all(url.startswith((STATIC + "/", "data:")) for url in fetcher.served), fetcher.served
    text = flat(pdf_text(rendered.data))
    assert HOSTILE[0] in text  # shown as the customer's (odd) name, not loaded
    assert "attacker.example/logo.png" in text
    assert "url(file:///etc/shadow)" in text
    assert "root:x:0:0" not in text


def test_stored_branding_cannot_inject_css_or_a_remote_logo():
    branding = safe_branding(
        {
            "primary_colour": "red; } body { background: url(http://attacker.example/) }",
            "accent_colour": "#00ff00",
            "font": "../../etc/passwd",
            "logo_data_uri": "http://attacker.example/logo.png",
            "company_name": "Acme",
        }
    )
    assert branding["primary_colour"] == "#1F4E79"
    assert branding["accent_colour"] == "#00ff00"
    assert branding["font"] == "inter"
    assert branding["logo_data_uri"] == ""
