"""The server-side SVG charts: labels fit their column; the full name stays in the tooltip."""

import re

from assessments import charts


def labels(svg: str) -> list[str]:
    return re.findall(r'<text x="162"[^>]*>([^<]*)</text>', svg)


def test_a_long_site_name_is_cut_to_fit_and_kept_whole_in_its_tooltip():
    long_name = "Warehouse-" + "X" * 50
    svg = charts.readiness_bars([("Stuttgart HQ", 80, "ready"), (long_name, 15, "not_ready")])
    short, cut = labels(svg)
    assert short == "Stuttgart HQ"
    assert cut.startswith("Warehouse-X") and cut.endswith("…") and len(cut) < 30
    assert f"<title>{long_name}: 15" in svg


def test_narrow_letters_fit_more_of_a_name_than_wide_ones():
    wide, narrow = labels(
        charts.readiness_bars([("W" * 40, 50, "ready"), ("il" * 20, 50, "ready")])
    )
    assert wide.endswith("…") and len(wide) < 20
    assert narrow == "il" * 20
