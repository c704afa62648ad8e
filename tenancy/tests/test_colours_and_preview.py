"""Text on the brand colours is white or black, whichever reads; the preview follows edits."""

from django.urls import reverse

import pytest

from assessments.forms import OrganisationForm
from proposals.pdf.brand import brand_css, safe_branding
from tenancy.branding import (
    TEXT_DARK,
    TEXT_WHITE,
    contrast_ratio,
    readable_text_contrast,
    text_colour_on,
)
from tests.factories import form_data

SETTINGS = reverse("tenancy:organisation-settings")
PREVIEW = reverse("tenancy:branding-preview")


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [("#000000", "#FFFFFF", 21.0), ("#FFFFFF", "#FFFFFF", 1.0), ("#767676", "#FFFFFF", 4.54)],
)
def test_contrast_ratio_follows_wcag(a, b, ratio):
    assert contrast_ratio(a, b) == pytest.approx(ratio, abs=0.01)


def test_a_light_primary_colour_is_saved_with_black_text_said_beside_the_field(world, login):
    client = login(world.admin)
    data = form_data(OrganisationForm(instance=world.org), primary_colour="#FFD700")
    assert client.post(SETTINGS, data).status_code == 302
    world.org.refresh_from_db()
    assert world.org.primary_colour == "#FFD700"
    page = client.get(SETTINGS).content.decode()
    assert "Now: black text, 15.0:1. White would reach only 1.4:1." in page
    assert "Black text on the primary colour: 15.0:1" in page  # the preview beside it
    css = client.get(reverse("tenancy:brand-css", args=[world.org.slug])).content.decode()
    assert "--brand-on-primary: #000000;" in css
    assert "--brand-toggler-filter: invert(1);" in css
    # Gold is unreadable as text on white: outlines and links use it darkened.
    primary_text = css.split("--brand-primary-text: ")[1].split(";")[0]
    assert contrast_ratio(primary_text, "#FFFFFF") >= 4.5 and primary_text != "#FFD700"


def test_a_dark_primary_keeps_white_text_and_its_own_colour_as_text(world, login):
    css = login(world.admin).get(reverse("tenancy:brand-css", args=[world.org.slug]))
    body = css.content.decode()
    assert "--brand-on-primary: #FFFFFF;" in body
    assert "--brand-primary-text: #1F4E79;" in body
    assert "--brand-toggler-filter: none;" in body


@pytest.mark.parametrize(
    ("background", "text"),
    [
        ("#1F4E79", TEXT_WHITE),  # navy: white as before
        ("#2E8540", TEXT_WHITE),  # 4.6:1 with white
        ("#767676", TEXT_WHITE),  # 4.54:1, just enough
        ("#777777", TEXT_DARK),  # 4.48:1 with white, 4.69:1 with black
        ("#FFD700", TEXT_DARK),
        ("#A0E0A0", TEXT_DARK),
        ("#FFFFFF", TEXT_DARK),
    ],
)
def test_the_text_colour_is_white_where_it_reads_else_black(background, text):
    assert text_colour_on(background) == text
    assert contrast_ratio(background, text) >= 4.5


def test_every_grey_has_a_readable_text_colour():
    """The claim behind accepting any colour: white or black always reaches 4.5:1."""
    worst = min(readable_text_contrast(f"#{v:02X}{v:02X}{v:02X}") for v in range(256))
    assert worst >= 4.5
    for colour in ("#FF0000", "#00FF00", "#0000FF", "#00FFFF", "#FF00FF", "#FFFF00"):
        assert readable_text_contrast(colour) >= 4.5


def test_a_light_accent_is_saved_and_its_step_numbers_turn_black(world, login):
    client = login(world.admin)
    light = form_data(OrganisationForm(instance=world.org), accent_colour="#A0E0A0")
    assert client.post(SETTINGS, light).status_code == 302
    world.org.refresh_from_db()
    assert world.org.accent_colour == "#A0E0A0"
    css = client.get(reverse("tenancy:brand-css", args=[world.org.slug])).content.decode()
    assert "--brand-on-accent: #000000;" in css


def test_the_proposal_css_puts_black_text_on_a_light_primary():
    light = brand_css(safe_branding({"primary_colour": "#FFD700", "accent_colour": "#FFFF00"}))
    assert "--on-primary: #000000;" in light and "--on-accent: #000000;" in light
    dark = brand_css(safe_branding({"primary_colour": "#1F4E79", "accent_colour": "#2E8540"}))
    assert "--on-primary: #FFFFFF;" in dark and "--primary-text: #1F4E79;" in dark


def test_the_settings_page_shows_the_cover_preview_wired_for_live_updates(world, login):
    page = login(world.admin).get(SETTINGS).content.decode()
    assert f'hx-get="{PREVIEW}"' in page
    assert 'id="branding-preview"' in page
    assert 'fill="#1F4E79"' in page
    assert "style=" not in page.split('id="branding-preview"')[1].split("</section>")[0]


def test_the_preview_renders_unsaved_values_and_escapes_them(world, login):
    response = login(world.admin).get(
        PREVIEW,
        {
            "primary_colour": "#0B3D2E",
            "accent_colour": "#C2410C",
            "font": "merriweather",
            "company_name": '<script>alert(1)</script>"Acme"',
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'fill="#0B3D2E"' in body and 'fill="#C2410C"' in body
    assert "Merriweather" in body
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "meets WCAG AA" in body
    world.org.refresh_from_db()
    assert world.org.primary_colour == "#1F4E79"  # nothing saved


def test_the_preview_ignores_invalid_colours_and_flags_poor_contrast(world, login):
    client = login(world.admin)
    bad = client.get(PREVIEW, {"primary_colour": "red;}</svg><script>"}).content.decode()
    assert 'fill="#1F4E79"' in bad and "<script>" not in bad
    light = client.get(PREVIEW, {"primary_colour": "#FFFF00"}).content.decode()
    assert "Black text on the primary colour" in light and 'fill="#000000"' in light


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_only_admins_may_use_the_preview(world, login, who):
    assert login(getattr(world, who)).get(PREVIEW).status_code == 403
