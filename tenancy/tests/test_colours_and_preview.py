"""Colours must carry white text legibly; the cover preview follows unsaved values."""

from django.urls import reverse

import pytest

from assessments.forms import OrganisationForm
from tenancy.branding import contrast_ratio
from tests.factories import form_data

SETTINGS = reverse("tenancy:organisation-settings")
PREVIEW = reverse("tenancy:branding-preview")


@pytest.mark.parametrize(
    ("a", "b", "ratio"),
    [("#000000", "#FFFFFF", 21.0), ("#FFFFFF", "#FFFFFF", 1.0), ("#767676", "#FFFFFF", 4.54)],
)
def test_contrast_ratio_follows_wcag(a, b, ratio):
    assert contrast_ratio(a, b) == pytest.approx(ratio, abs=0.01)


def test_a_primary_colour_too_light_for_white_text_is_refused_with_its_ratio(world, login):
    data = form_data(OrganisationForm(instance=world.org), primary_colour="#FFD700")
    response = login(world.admin).post(SETTINGS, data)
    assert response.status_code == 200
    errors = response.context["form"].errors["primary_colour"]
    assert "White text on #FFD700 has a contrast of 1.4:1" in errors[0]
    assert "at least 4.5:1 (WCAG AA)" in errors[0]
    world.org.refresh_from_db()
    assert world.org.primary_colour == "#1F4E79"


def test_a_light_accent_is_refused_and_a_dark_one_saved(world, login):
    client = login(world.admin)
    light = form_data(OrganisationForm(instance=world.org), accent_colour="#A0E0A0")
    assert "accent_colour" in client.post(SETTINGS, light).context["form"].errors
    dark = form_data(OrganisationForm(instance=world.org), accent_colour="#0B5394")
    assert client.post(SETTINGS, dark).status_code == 302
    world.org.refresh_from_db()
    assert world.org.accent_colour == "#0B5394"


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
    assert "below WCAG AA" in light


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_only_admins_may_use_the_preview(world, login, who):
    assert login(getattr(world, who)).get(PREVIEW).status_code == 403
