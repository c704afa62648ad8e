"""A large estate's proposal: recurring findings said once, every character printable."""

import html
import re
import subprocess
from pathlib import Path

from django.conf import settings

import pytest
from fontTools.ttLib import TTFont

from proposals.pdf.brand import _font_faces
from proposals.pdf.context import build_context
from proposals.pdf.render import render_document, render_html
from proposals.pdf.sections.sites import COMPACT_FROM_SITES
from proposals.services import proposal_snapshot
from proposals.tests.conftest import flat, pdf_text
from tenancy.models import Font
from tests.factories import CircuitFactory, SiteFactory

FONT_DIRS = {
    Font.INTER: "inter",
    Font.SOURCE_SANS: "source-sans-3",
    Font.MERRIWEATHER: "merriweather",
}


def branch(assessment, i: int, **fields):
    """A branch office that fails the same checks as its siblings, plus ``fields``."""
    values = dict(
        name=f"Branch {i:02d}",
        users=40,
        qos="none",  # a recurring medium finding (§2.3)
        internet_breakout="backhaul",  # and another (§2.5)
        wifi="unknown",  # a recurring item to verify
        fax_lines=0,
        client_rtt_ms=200.5,  # high: far past the 100 ms client target (§2.1)
    )
    values.update(fields)
    site = SiteFactory(assessment=assessment, **values)
    CircuitFactory(site=site, down_mbps=1000, up_mbps=1000)
    return site


@pytest.fixture
def estate(world):
    """The world's customer grown to a dozen branches that need the same work."""
    for i in range(COMPACT_FROM_SITES + 2):
        branch(world.assessment, i)
    return world


def test_recurring_medium_findings_are_referred_to_by_fix_number(estate):
    context = build_context(proposal_snapshot(assessment=estate.assessment, issued_by="Al"))
    assert context["compact"]
    fixes = {f["ref"]: f for f in context["common_fixes"]}
    backhaul = next(f for f in fixes.values() if any("backhaul" in x for x in f["found"]))
    site = next(s for s in context["remediation"] if s["name"] == "Branch 03")
    # The medium backhaul finding is no row of its own: the site's closing line names its fix.
    assert backhaul["ref"] in site["also_refs"]
    assert not any("backhaul" in f["message"] for f in site["findings"])
    # High findings keep their own row at every site, pointing to the shared fix.
    rtt = next(f for f in site["findings"] if "round-trip time 200.5 ms" in f["message"])
    assert rtt["severity"] == "high" and rtt["ref"].startswith("Fix ")
    assert not any("QoS" in f["message"] for f in site["findings"])
    # What is not known recurs too: it is numbered once and referred to.
    checks = {c["ref"]: c for c in context["common_checks"]}
    assert any("Wi-Fi" in c["text"] for c in checks.values())
    assert site["check_refs"] and set(site["check_refs"]) <= set(checks)


def test_the_pdf_lists_each_recurring_fix_once_with_what_was_found(estate):
    snapshot = proposal_snapshot(assessment=estate.assessment, issued_by="Al")
    text = flat(pdf_text(render_document(build_context(snapshot)).data))
    assert "Fixes that apply to several sites" in text
    assert "To verify at several sites" in text
    # The backhaul advice is printed once, in the fixes table, not once per branch.
    assert text.count("Internet traffic is backhauled") == 1
    for i in range(COMPACT_FROM_SITES + 2):
        assert f"Branch {i:02d}" in text
    # The tables are in appendix D; the sites name each recurring fix and check in words.
    body, appendix = text.split("D Appendix: fixes and checks that recur")[-2:]
    assert "Fixes that apply to several sites" in appendix
    assert "Fixes that apply to several sites" not in body
    assert re.search(r"Also to fix: [a-z]", body)
    assert re.search(r"To verify: [a-zA-Z]", body)
    assert not re.search(r"\b(Fix|Check) \d", text)


def test_a_small_estate_keeps_every_finding_in_words(world):
    for i in range(3):
        branch(world.assessment, i)
    context = build_context(proposal_snapshot(assessment=world.assessment, issued_by="Al"))
    assert not context["compact"] and context["common_checks"] == []
    site = next(s for s in context["remediation"] if s["name"] == "Branch 01")
    assert any("backhaul" in f["message"] for f in site["findings"])
    assert site["also_refs"] == [] and site["check_refs"] == []


def test_an_answer_shared_by_every_site_is_said_once(estate):
    context = build_context(proposal_snapshot(assessment=estate.assessment, issued_by="Al"))
    people = next(t for t in context["site_answers"] if t["title"].startswith("People"))
    assert ("Fax", "0") in people["same"]
    headers = " / ".join(h["label"] for h in people["headers"])
    assert "Fax" not in headers
    # An answer that differs between sites stays in its column, with its group.
    assert "Users" in headers
    text = flat(
        pdf_text(
            render_document(
                build_context(proposal_snapshot(assessment=estate.assessment, issued_by="Al"))
            ).data
        )
    )
    assert re.search(r"The same at every site: .*Fax 0", text)


def _pdf_font_files(font: str) -> dict[tuple[str, str], list[Path]]:
    """The files the proposal's @font-face rules load, by (family, weight)."""
    files: dict[tuple[str, str], list[Path]] = {}
    for rule in re.findall(r"@font-face\s*{([^}]*)}", _font_faces(font)):
        family = re.search(r"font-family:\s*([^;]+);", rule).group(1)
        weight = re.search(r"font-weight:\s*(\d+)", rule).group(1)
        url = re.search(r"url\(([^)]+)\)", rule).group(1)
        files.setdefault((family, weight), []).append(Path(settings.BASE_DIR, "static", url))
    return files


def _covered(font: str) -> set[int]:
    covered: set[int] = set()
    for paths in _pdf_font_files(font).values():
        for path in paths:
            covered |= set(TTFont(path).getBestCmap())
    return covered


@pytest.mark.parametrize("font", list(FONT_DIRS))
def test_each_pdf_font_weight_is_one_file_with_latin_and_latin_extended(font):
    """WeasyPrint embeds one font per family and weight.

    Two subset files of one weight are written as one font, and the letters of the second
    then print as wrong glyphs.
    """
    files = _pdf_font_files(font)
    assert {weight for _family, weight in files} == {"400", "600", "700"}
    for (_family, weight), paths in files.items():
        assert len(paths) == 1, f"{font} {weight} is split over {paths}"
        cmap = TTFont(paths[0]).getBestCmap()
        # Latin, Latin Extended (Polish, Turkish, Hungarian...), Vietnamese and Cyrillic.
        assert all(ord(c) in cmap for c in "AZaz09·–§ÆøŁłŚśŹźŻżĞğŞşŐőŇňŠšĐđẫồКиївЖщ"), paths[0]
    assert "unicode-range" not in _font_faces(font)


@pytest.mark.parametrize("font", list(FONT_DIRS))
def test_every_character_of_the_proposal_is_in_its_font(estate, font):
    """A glyph the vendored fonts lack prints as a blank: say it in words instead."""
    estate.org.font = font
    estate.org.save()
    # Names from Poland, Turkey and Hungary: the Latin Extended letters must print too.
    estate.assessment.customer.name = "Łódź Şişecam Győr Logistics"
    estate.assessment.customer.save()
    SiteFactory(assessment=estate.assessment, name="Gdańsk Żuraw", country="PL")
    SiteFactory(assessment=estate.assessment, name="Київ Офіс", country="UA")
    SiteFactory(assessment=estate.assessment, name="Đà Nẵng Depot", country="VN")
    snapshot = proposal_snapshot(assessment=estate.assessment, issued_by="Al")
    page = render_html(build_context(snapshot))
    body = page[page.index("<body>") :]
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)))
    covered = _covered(font)
    missing = sorted({c for c in text if not c.isspace() and ord(c) not in covered})
    assert missing == [], f"no glyph in {font} for {missing}"


def test_a_fix_whose_findings_differ_per_site_leaves_each_site_its_figures(world):
    for i in range(COMPACT_FROM_SITES + 2):
        branch(world.assessment, i, client_rtt_ms=200.5 + i)
    context = build_context(proposal_snapshot(assessment=world.assessment, issued_by="Al"))
    latency = next(f for f in context["common_fixes"] if "Reduce latency" in f["text"])
    assert latency["found"] == ["Differs from site to site (measured values); see each site"]
    site = next(s for s in context["remediation"] if s["name"] == "Branch 05")
    row = next(f for f in site["findings"] if "round-trip time 205.5 ms" in f["message"])
    assert row["ref"] == latency["ref"]


def test_a_model_shared_by_every_site_is_said_once_above_the_table(world):
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Al")
    text = flat(pdf_text(render_document(build_context(snapshot)).data))
    # The world's sites are in Calling Plan markets with operator coverage unknown.
    assert "Recommended model at every site: Calling Plans." in text
    assert "TOP ISSUE MODEL" not in text  # no Model column

    SiteFactory(assessment=world.assessment, name="Pune", country="IN", regulation="toll_bypass")
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Al")
    text = flat(pdf_text(render_document(build_context(snapshot)).data))
    assert "Recommended model at every site" not in text
    assert "TOP ISSUE MODEL" in text  # each site's model in its own column


def test_the_resilience_plan_names_what_each_site_lacks(world):
    context = build_context(proposal_snapshot(assessment=world.assessment, issued_by="Al"))
    lacks = {r["name"]: r["missing"] for r in context["resilience"]}
    assert lacks["Lyon Office"] == ["secondary circuit", "LTE/5G backup", "SD-WAN"]
    text = flat(pdf_text(render_document(context).data))
    assert "Lyon Office" in text and "Secondary circuit, LTE/5G backup, SD-WAN" in text


@pytest.mark.parametrize("branches", [2, COMPACT_FROM_SITES + 2])
def test_each_sites_closing_line_reads_as_sentences(world, branches):
    for i in range(branches):
        branch(world.assessment, i, wifi="managed_24ghz", firewall_media_ports="yes")
    context = build_context(proposal_snapshot(assessment=world.assessment, issued_by="Al"))
    text = flat(pdf_text(render_document(context).data))
    lines = re.findall(r"(?:Also to fix|Also to check|To verify): [^.]*\.", text)
    assert lines, "every site needing work ends with what else to fix or check"
    for line in lines:
        assert "; ." not in line and ";." not in line and ", ." not in line, line


FONT_NAMES = {
    Font.INTER: "Inter",
    Font.SOURCE_SANS: "Source-Sans-3",
    Font.MERRIWEATHER: "Merriweather",
}


@pytest.mark.parametrize("font", list(FONT_DIRS))
def test_the_pdf_embeds_the_brand_font_and_no_other(world, font):
    """Charts, list markers and text all print in the brand's font, never a host font."""
    world.org.font = font
    world.org.save()
    snapshot = proposal_snapshot(assessment=world.assessment, issued_by="Al")
    data = render_document(build_context(snapshot)).data
    listing = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)
    names = [line.split()[0].split("+")[-1] for line in listing.stdout.decode().splitlines()[2:]]
    assert names, "the PDF embeds its fonts"
    assert all(name.startswith(FONT_NAMES[font]) for name in names), names
