"""Benchmark: a large estate's proposal and site annex against today's 100-site proposal.

Run ``.venv/bin/python bench/render_proposal.py`` (``--smoke`` for a quick CI run: 5 and
20 sites). It builds customers of ``--small`` (100) and ``--sites`` (500) sites in a
throwaway SQLite database (a temporary file), two estates each:

- **typical**: sites drawn like the demo data's (well run, fair or struggling, 4:4:2),
  added through the same service as the site form;
- **stress**: every answer drawn at random (``bench/score_sites.py``), imported through
  the import service, so nearly every site fails several checks.

For each estate it measures, in the same run (the machine is noisy: compare ratios):

- **floor**: the small estate's proposal as it was before the annex, every site in the
  main document (the per-site detail bound raised), rendered as the worker does;
- **large**: the large estate issued: its main document and its annex PDF rendered by
  their own tasks at once, as two workers do, and its workbook; the wall time until all
  three are ready, and its ratio to the floor (the aim: 1.0 or less);
- **plain**: stock WeasyPrint (its own user-agent stylesheet, in this process, no
  limits) rendering the same pages, serially: what the portal's own work costs on top.

It also times a repeated download, which must be served from storage without rendering.
"""

from __future__ import annotations

import argparse
import atexit
import multiprocessing
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
# A throwaway SQLite file, removed at exit: never the development or production database.
_TMP = tempfile.mkdtemp(prefix="bench-proposal-")
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
os.environ["DATABASE_URL"] = f"sqlite:///{_TMP}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# Files on disk in the throwaway folder, not in one process's memory as in the tests: the
# files are rendered by worker processes and downloaded by this one.
settings.STORAGES = {
    **settings.STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": f"{_TMP}/media"},
    },
}
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.score_sites import make_assessments  # noqa: E402

CITIES = (
    ("Leeds", "GB"), ("Lyon", "FR"), ("Austin", "US"), ("Pune", "IN"), ("Osaka", "JP"),
    ("Perth", "AU"), ("Durban", "ZA"), ("Dubai", "AE"), ("Toronto", "CA"), ("Munich", "DE"),
)  # fmt: skip
MAX_MB = 500


def build(n_sites: int, user=None):
    """A partner, a manager and two customers of ``n_sites`` sites each (the first call migrates).

    Returns:
        The manager, and the two assessments by estate name.
    """
    from dataclasses import replace

    from django.contrib.auth import get_user_model

    from assessments.management.commands.seed_demo import demo_site
    from assessments.schema.document import dump_document
    from assessments.services.assessments import site_create
    from assessments.services.documents import assessment_import
    from assessments.services.versioning import Actor
    from tenancy.models import Membership, Organisation, Role

    if user is None:
        call_command("migrate", verbosity=0, run_syncdb=True)
        org = Organisation.objects.create(
            name="Bench Partner", slug="bench", company_name="Bench Voice Partners Ltd"
        )
        user = get_user_model().objects.create_user("bench", password="bench-password-2026")
        Membership.objects.create(user=user, organisation=org, role=Role.MANAGER)
    org = user.membership.organisation
    actor = Actor.for_user(user)
    source = make_assessments(n_sites, n_sites, seed=6)[0]
    estates = {}
    for estate, name in (("typical", "Northwind Retail"), ("stress", "Fabrikam Global Logistics")):
        document = dump_document(source if estate == "stress" else replace(source, sites=()))
        document["meta"]["customer"]["name"] = f"{name} {n_sites}"
        estates[estate] = assessment_import(
            organisation=org, owner=user, document=document, actor=actor
        )
    rng = random.Random(6)
    for i in range(n_sites):
        # "Leeds Office 7": the demo data's site takes its city from the first word.
        city, country = rng.choice(CITIES)
        name = f"{city} {rng.choice(('Office', 'Branch', 'Depot'))} {i}"  # unique per estate
        fields, circuits = demo_site(name, country, rng.randint(20, 1500), rng, measured=i % 3 != 2)
        site_create(assessment=estates["typical"], fields=fields, circuits=circuits, actor=actor)
    return user, estates


def _floor(assessment) -> tuple[float, int]:
    """Today's proposal: every site in the main document, rendered as the worker does."""
    from unittest import mock

    from proposals import services as proposals

    snapshot = proposals.proposal_snapshot(assessment=assessment, issued_by="Bench")
    with mock.patch("proposals.pdf.sections.large.MAIN_DETAIL_SITES", 10**6):
        start = time.perf_counter()
        rendered, _note = proposals.render_bounded(snapshot)
    return time.perf_counter() - start, rendered.pages


def _plain(snapshot) -> float:
    """Stock WeasyPrint rendering the main document and the annex's parts, one after another."""
    from django.template.loader import render_to_string

    import weasyprint

    from proposals.pdf import static_root
    from proposals.pdf.annex import annex_parts
    from proposals.pdf.context import build_context
    from proposals.pdf.render import ANNEX_TEMPLATE, render_html
    from proposals.pdf.sections.large import needs_annex

    # The proposal is tagged (PDF/UA-1), the annex's parts are not: as the portal renders them.
    pages = [(render_html(build_context(snapshot)), "pdf/ua-1")]
    with_annex = needs_annex(len(snapshot["results"].get("sites", [])))
    parts = annex_parts(snapshot, processes=os.cpu_count() or 1) if with_annex else []
    pages += [(render_to_string(ANNEX_TEMPLATE, p), None) for p in parts]
    start = time.perf_counter()
    for html, variant in pages:
        document = weasyprint.HTML(string=html, base_url=static_root().as_uri() + "/")
        document.write_pdf(pdf_variant=variant)
    return time.perf_counter() - start


def measure(user, assessment, out: Path | None) -> dict[str, float]:
    """Issue ``assessment``'s proposal and render its three files at once; return the figures."""
    import proposals.pdf.render  # noqa: F401 - WeasyPrint is imported once per process
    from proposals import services as proposals
    from proposals.models import Proposal, ProposalAnnex, ProposalStatus

    # The immediate task backend of the test settings would render on commit, one file
    # after the other; here the workers' part is played by processes, all at once: one
    # forked per file from this single-threaded process, as separate workers would run
    # (threads would fork render children while another thread holds a library's lock).
    with mock_enqueue():
        proposal = proposals.proposal_issue(assessment=assessment, user=user)
    annexes = list(proposal.annexes.order_by("kind"))
    jobs = [(proposals.proposal_render, {"proposal_id": proposal.pk})]
    jobs += [(proposals.annex_render, {"annex_id": a.pk}) for a in annexes]
    connection.close()  # each worker opens its own
    fork = multiprocessing.get_context("fork")
    start = time.perf_counter()
    workers = [fork.Process(target=_in_worker, args=job) for job in jobs]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - start
    done = [Proposal.objects.get(pk=proposal.pk)]
    done += [ProposalAnnex.objects.get(pk=a.pk) for a in annexes]
    assert all(d.status == ProposalStatus.READY for d in done), [d.error for d in done]
    proposal, files = done[0], {a.kind: a for a in done[1:]}

    client = Client()
    client.force_login(user)
    url = f"/assessments/{assessment.pk}/proposal/download/?version={proposal.number}"
    client.get(url)  # warm the session and the URL resolver
    times = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            t = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - t)
        assert response.status_code == 200 and len(response.content) == proposal.size
    if out:
        out.write_bytes(response.content)
        if "pdf" in files:
            annex = client.get(
                f"/assessments/{assessment.pk}/proposal/annex/?version={proposal.number}&kind=pdf"
            )
            out.with_name(out.stem + "-annex.pdf").write_bytes(annex.content)
    return {
        "pages": proposal.page_count,
        "annex_pages": files["pdf"].page_count if "pdf" in files else 0,
        "xlsx_kib": files["xlsx"].size / 1024,
        "wall_s": wall,
        "plain_s": _plain(proposals.snapshot_of(proposal)),
        "rss_mb": max(
            resource.getrusage(who).ru_maxrss / 1024
            for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        ),
        "download_ms": min(times) * 1000,
        "queries": len(queries),
    }


def _in_worker(service, kwargs) -> None:
    """Run a render service as a worker process would, with its own database connection."""
    try:
        service(**kwargs)
    finally:
        connection.close()


class mock_enqueue:
    """Keep issuing from rendering on commit: the benchmark runs the tasks itself."""

    def __enter__(self):
        from unittest import mock

        self._patches = [
            mock.patch("proposals.services._enqueue_render"),
            mock.patch("proposals.services._enqueue_annex"),
        ]
        for p in self._patches:
            p.start()

    def __exit__(self, *exc):
        for p in self._patches:
            p.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=500, help="the large estate")
    parser.add_argument("--small", type=int, default=100, help="today's floor")
    parser.add_argument("--smoke", action="store_true", help="5 and 20 sites, quick (CI)")
    parser.add_argument(
        "--out", type=Path, help="also write the PDFs here (NAME-typical.pdf, NAME-stress.pdf)"
    )
    args = parser.parse_args(argv)
    small, large = (5, 20) if args.smoke else (args.small, args.sites)
    assert str(settings.DATABASES["default"]["NAME"]).startswith(_TMP), "throwaway DB only"

    user, floors = build(small)
    _user, estates = build(large, user=user)
    print(f"sites: {small} (today's floor) and {large} per customer; {os.cpu_count()} cores")
    ok = True
    for estate, assessment in estates.items():
        floor_s, floor_pages = _floor(floors[estate])
        out = args.out.with_name(f"{args.out.stem}-{estate}.pdf") if args.out else None
        f = measure(user, assessment, out)
        ratio = f["wall_s"] / floor_s
        print(
            f"{estate:>8}: today {small} sites {floor_pages} pages {floor_s:.2f} s | "
            f"{large} sites: proposal {f['pages']} pages + annex {f['annex_pages']} pages + "
            f"workbook {f['xlsx_kib']:.0f} KiB ready in {f['wall_s']:.2f} s = "
            f"{ratio:.2f}x today's {small} | plain WeasyPrint of the same pages "
            f"{f['plain_s']:.2f} s (render/plain {f['wall_s'] / f['plain_s']:.2f}) | peak "
            f"{f['rss_mb']:.0f} MB RSS | repeated download {f['download_ms']:.1f} ms, "
            f"{f['queries']} queries, no re-render"
        )
        ok = ok and ratio <= 1.0 and f["rss_mb"] <= MAX_MB
    if not args.smoke and not ok:
        print(f"SLOWER THAN THE AIM: {large} sites within the time of today's {small}")
    return 0 if ok or args.smoke else 1


if __name__ == "__main__":
    sys.exit(main())
