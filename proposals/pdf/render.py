"""Render a proposal context to PDF bytes with WeasyPrint (imported once per process)."""

import functools
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.template.loader import get_template, render_to_string

import weasyprint  # ~0.7 s to import: module level, so once per process, never per request
from pypdf import PdfReader, PdfWriter

from proposals.pdf import static_root
from proposals.pdf.brand import FONT_FILES, FONT_WEIGHTS, brand_css, safe_branding
from proposals.pdf.context import ProposalContext
from proposals.pdf.fetcher import StaticOnlyFetcher, woff2_as_sfnt
from tenancy.branding import DEFAULT_BRANDING

TEMPLATE = "pdf/proposal/proposal.html"
ANNEX_TEMPLATE = "pdf/annex/annex.html"
QUIET_LOGGERS = ("weasyprint.progress", "fontTools")
USER_AGENT_CSS = weasyprint.CSS(filename=str(Path(__file__).with_name("ua.css")))


class ProposalHTML(weasyprint.HTML):
    """WeasyPrint's HTML document with the proposal's smaller user-agent stylesheet (ua.css).

    ``_ua_stylesheets`` is the hook WeasyPrint's own tests override; it is not public API,
    which is one reason WeasyPrint is pinned. proposals/tests/test_user_agent_css.py
    checks the proposal renders the same with either sheet.
    """

    def _ua_stylesheets(self, forms=False):
        return [USER_AGENT_CSS]


@dataclass(frozen=True)
class RenderedPdf:
    """The PDF bytes and what the renderer knows about them."""

    data: bytes
    pages: int
    fetcher: StaticOnlyFetcher


def render_html(context: ProposalContext) -> str:
    """The proposal as HTML, exactly as WeasyPrint receives it (the debug view of the PDF).

    Args:
        context: The proposal context (see :func:`proposals.pdf.context.build_context`).

    Returns:
        An HTML document whose relative URLs resolve against static/.
    """
    return render_to_string(TEMPLATE, dict(context))


def render_document(
    context: ProposalContext,
    *,
    fetcher: StaticOnlyFetcher | None = None,
    html_class: type[weasyprint.HTML] = ProposalHTML,
) -> RenderedPdf:
    """Render the proposal and keep the page count and the fetch log.

    Args:
        context: The proposal context.
        fetcher: The URL fetcher to use; a fresh :class:`StaticOnlyFetcher` by default.
        html_class: The WeasyPrint document class (WeasyPrint's own, to compare with).

    Returns:
        The PDF bytes, the number of pages and the fetcher (what was served or refused).
    """
    fetcher = fetcher or StaticOnlyFetcher()
    document = _layout(render_html(context), fetcher, html_class)
    # A tagged PDF (PDF/UA-1): headings, tables and reading order for assistive technology.
    data = document.write_pdf(pdf_variant="pdf/ua-1")
    return RenderedPdf(data=data, pages=len(document.pages), fetcher=fetcher)


def _layout(
    html: str, fetcher: StaticOnlyFetcher, html_class: type[weasyprint.HTML] = ProposalHTML
) -> weasyprint.document.Document:
    """Lay out an HTML document whose URLs resolve against static/ only."""
    # WeasyPrint logs every layout step at INFO; keep its warnings (a refused fetch) only.
    # Set here, not at import: the logging configuration may be applied after this import.
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    page = html_class(string=html, base_url=static_root().as_uri() + "/", url_fetcher=fetcher)
    return page.render()


def render_annex_part(
    context: dict[str, Any],
    *,
    fetcher: StaticOnlyFetcher | None = None,
    html_class: type[weasyprint.HTML] = ProposalHTML,
) -> RenderedPdf:
    """Render one part of the site annex (see :func:`proposals.pdf.annex.annex_parts`).

    The parts are joined afterwards (:func:`join_parts`); a tagged PDF's structure does
    not survive the join, so the parts are untagged and the workbook issued beside the
    annex is its accessible form (the proposal itself stays PDF/UA).

    Args:
        context: One part's context.
        fetcher: The URL fetcher to use; a fresh :class:`StaticOnlyFetcher` by default.
        html_class: The WeasyPrint document class (WeasyPrint's own, to compare with).

    Returns:
        The part's PDF bytes, its number of pages and the fetcher.
    """
    fetcher = fetcher or StaticOnlyFetcher()
    document = _layout(render_to_string(ANNEX_TEMPLATE, context), fetcher, html_class)
    return RenderedPdf(data=document.write_pdf(), pages=len(document.pages), fetcher=fetcher)


def join_parts(parts: list[bytes], *, title: str) -> tuple[bytes, int]:
    """Join the annex's parts into one PDF, keeping their bookmarks (one a site).

    Args:
        parts: Each part's PDF bytes, in order.
        title: The joined document's title.

    Returns:
        The PDF bytes and the number of pages.
    """
    if len(parts) == 1:
        return parts[0], len(PdfReader(io.BytesIO(parts[0])).pages)
    writer = PdfWriter()
    for data in parts:
        writer.append(PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def warm_up(font: str) -> None:
    """Make this process ready to fork warm renders: fonts, renderer and templates.

    A render runs in a child process (:mod:`proposals.pdf.isolated`) whose caches die
    with it; filled here, in the long-lived worker, they cost once per worker. The
    worker also lays out a tiny document and compiles the templates here, once, so
    that each render process starts as fast as a second render would.

    Args:
        font: The branding's font key; the default font when unknown.
    """
    stem = FONT_FILES.get(font) or FONT_FILES[DEFAULT_BRANDING["font"]]
    for weight in FONT_WEIGHTS:
        path = (static_root() / f"{stem}-{weight}-normal.woff2").resolve()
        if path.is_file():
            woff2_as_sfnt(path)
    _warm_render(font if font in FONT_FILES else DEFAULT_BRANDING["font"])
    _compile_templates()


# A line of each weight and style the documents use, in the brand's font and stylesheet.
WARM_UP_HTML = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Warm-up</title>'
    '<link rel="stylesheet" href="pdf/proposal.css"><style>{css}</style></head><body>'
    '<h1>Warm-up</h1><p>Text, <strong>bold</strong> and <span class="grade">600</span>.</p>'
    "</body></html>"
)


@functools.cache
def _warm_render(font: str) -> None:
    """Lay out and write a tiny tagged document once per process and font.

    A render's first document costs about half a second more than the next one (the
    font configuration, Pango's and cffi's first calls); done here, in the long-lived
    worker, every render process forked from it starts with them done.
    """
    css = brand_css(safe_branding({**DEFAULT_BRANDING, "font": font}))
    document = _layout(WARM_UP_HTML.format(css=css), StaticOnlyFetcher())
    document.write_pdf(pdf_variant="pdf/ua-1")


@functools.cache
def _compile_templates() -> None:
    """Load the proposal's and the annex's templates once per process (the loader keeps them).

    Compiling them costs a render process up to half a second; forked from a worker
    that did it, it starts with them compiled.
    """
    get_template(TEMPLATE)
    get_template(ANNEX_TEMPLATE)


def render_pdf(context: ProposalContext) -> bytes:
    """Render the proposal to PDF bytes.

    Args:
        context: The proposal context.

    Returns:
        The PDF file's bytes.
    """
    return render_document(context).data
