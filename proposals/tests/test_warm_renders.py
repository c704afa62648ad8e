"""The worker gets ready once, so each render process it forks starts as fast as a second render."""

from django.template import engines

import pytest

from proposals.pdf import render
from tenancy.branding import Font


@pytest.fixture
def cold_process(monkeypatch):
    """A process that has compiled no template and rendered nothing yet."""
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    render._compile_templates.cache_clear()
    render._warm_render.cache_clear()
    yield loader
    loader.reset()


def test_warm_up_leaves_both_templates_compiled_for_the_render_processes(cold_process, monkeypatch):
    render.warm_up(Font.INTER)

    # A forked render must not read a template file again: reading one now would fail.
    def no_reading(*args, **kwargs):
        raise AssertionError("a template was read from disk after warm-up")

    for loader in cold_process.loaders:
        monkeypatch.setattr(loader, "get_contents", no_reading)
    assert render.get_template(render.TEMPLATE)
    assert render.get_template(render.ANNEX_TEMPLATE)


def test_the_warm_up_render_happens_once_per_font_and_an_unknown_font_warms_the_default(
    cold_process, monkeypatch
):
    laid_out = []
    real_layout = render._layout

    def counting(html, *args, **kwargs):
        laid_out.append(html)
        return real_layout(html, *args, **kwargs)

    monkeypatch.setattr(render, "_layout", counting)
    render.warm_up(Font.INTER)
    render.warm_up(Font.INTER)
    render.warm_up("comic-sans")  # not a brand font: the default (Inter) is already warm
    assert len(laid_out) == 1
    render.warm_up(Font.MERRIWEATHER)
    assert len(laid_out) == 2
    assert "Merriweather" in laid_out[1]
