"""Benchmark: server time of the staff pages and a grid autosave at 5 to 2,000 sites, as ratios.

Run ``.venv/bin/python bench/pages.py`` (``--smoke``: 5 and 100 sites, for CI;
``--sites 5 100`` to choose). It builds one assessment per size in a throwaway test
database (in-memory SQLite, or a ``test_`` database beside ``DATABASE_URL``'s PostgreSQL),
logs a sales engineer in with Django's test client and, in rounds, times each page:

- the sites grid, the results, the overview (``assessment_detail``), a what-if scenario
  with one change on every site, and a grid row autosave (the row's own form, read from
  the grid's HTML as a browser would, posted as htmx does);
- the floor: a trivial logged-in page (the member's API tokens) of the same stack, timed
  in the same rounds, so a busy machine slows both alike.

It prints each page's median server time beside the floor, as a multiple of the floor and
of its own time at 5 sites, with its HTML size and query count. It exits non-zero only on
a clear failure (a page answering with an error, an autosave not saved, a page whose
queries grow with the sites), never on times: the machine's load decides those.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings_test"
# Static files come from the finders here, as in the tests: no collectstatic needed.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)
from django.urls import reverse  # noqa: E402

from bench.score_sites import make_assessments  # noqa: E402
from tests.html_forms import parse_forms, submission  # noqa: E402

FULL_SIZES = (5, 100, 500, 2_000)
SMOKE_SIZES = (5, 100)
FLOOR = "trivial page"
# The first row form of the grid (a windowed grid shows some rows: any one will do).
ROW_FORM = re.compile(r'<form id="(row-(\d+)-form)"')
# A whole number of the row that changes on every save, so each autosave really writes.
CHANGED_FIELD = "users"


@dataclass
class Figures:
    """What one page cost at one size over the rounds."""

    seconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    size: int = 0
    error: str = ""

    @property
    def median_ms(self) -> float:
        """Median server time in milliseconds (0 when never answered)."""
        return statistics.median(self.seconds) * 1000 if self.seconds else 0.0

    @property
    def query_count(self) -> int:
        """Fewest queries seen: an occasional session refresh is not the page's own cost."""
        return min(self.queries) if self.queries else 0


@dataclass
class Estate:
    """One assessment of ``sites`` sites, and what its requests need."""

    sites: int
    assessment_id: int
    scenario_id: int
    row_action: str = ""
    row_data: dict[str, list[str]] = field(default_factory=dict)
    row_site_id: int = 0


def build(user, organisation, n_sites: int) -> Estate:
    """An assessment of ``n_sites`` random sites (imported), with a one-change scenario."""
    from assessments.schema.document import dump_document
    from assessments.services import scenarios
    from assessments.services.documents import assessment_import
    from assessments.services.versioning import Actor

    actor = Actor.for_user(user)
    (source,) = make_assessments(n_sites, n_sites, seed=n_sites)
    document = dump_document(source)
    document["meta"]["customer"]["name"] = f"Estate of {n_sites} sites"
    assessment = assessment_import(
        organisation=organisation, owner=user, document=document, actor=actor
    )
    scenario = scenarios.scenario_create(assessment=assessment, name="QoS everywhere", actor=actor)
    # A change on every site: the what-if page rescores the whole estate with it.
    scenarios.scenario_add_change(
        scenario=scenario, scope="sites", field="qos", value="end_to_end", sites=[]
    )
    return Estate(n_sites, assessment.pk, scenario.pk)


def read_row_form(estate: Estate, grid_html: str) -> None:
    """Take the first row's form from the grid's HTML: its action and what it submits."""
    match = ROW_FORM.search(grid_html)
    if not match:
        raise LookupError("no row form in the sites grid")
    form = parse_forms(grid_html)[match.group(1)]
    estate.row_action = form.attrs.get("action") or ""
    estate.row_data = submission(form)
    estate.row_site_id = int(match.group(2))


def autosave(client: Client, estate: Estate, value: int):
    """Post one row change as the grid's htmx does, from the row's current version."""
    from assessments.models import Site

    data = dict(estate.row_data)
    data[CHANGED_FIELD] = [str(value)]
    if "version" in data:
        # The page's version is the one before our previous save: a browser takes the
        # new one from each answer; here it is read back from the database.
        version = Site.objects.filter(pk=estate.row_site_id).values_list("version", flat=True)
        data["version"] = [str(version.get())]
    return client.post(estate.row_action, data, headers={"HX-Request": "true"})


def timed(figures: Figures, call: Callable[[], object]) -> object:
    """Run one request, adding its time, queries and size to ``figures``."""
    with CaptureQueriesContext(connection) as ctx:
        start = time.perf_counter()
        response = call()
        elapsed = time.perf_counter() - start
    status = getattr(response, "status_code", 0)
    if not 200 <= status < 300:  # a redirect here would be to the login page or away
        figures.error = f"answered {status}"
        return response
    content = getattr(response, "content", b"")
    if b'data-status="invalid"' in content or b'data-status="conflict"' in content:
        figures.error = "the save was refused"
    figures.seconds.append(elapsed)
    figures.queries.append(len(ctx.captured_queries))
    figures.size = len(content)
    return response


def measure(client: Client, estate: Estate, rounds: int) -> dict[str, Figures]:
    """Time every page of ``estate`` (and the floor) ``rounds`` times, round by round."""
    a, s = estate.assessment_id, estate.scenario_id
    gets = {
        FLOOR: reverse("tokens:list"),
        "sites grid": reverse("assessments:site-grid", args=[a]),
        "results": reverse("assessments:results", args=[a]),
        "overview": reverse("assessments:assessment-detail", args=[a]),
        "what-if scenario": reverse("assessments:scenario", args=[a, s]),
    }
    figures = {name: Figures() for name in [*gets, "grid autosave"]}
    # One unmeasured round: the first request of a page compiles its templates.
    grid = client.get(gets["sites grid"])
    try:
        read_row_form(estate, grid.content.decode())
    except LookupError as exc:
        figures["grid autosave"].error = str(exc)
    for url in gets.values():
        client.get(url)
    users = 10_000
    if estate.row_action:
        autosave(client, estate, users)
    for _ in range(rounds):
        for name, url in gets.items():
            timed(figures[name], lambda url=url: client.get(url))
        users += 1
        if estate.row_action:
            timed(figures["grid autosave"], lambda users=users: autosave(client, estate, users))
    return figures


def report(results: dict[int, dict[str, Figures]]) -> list[str]:
    """Print the table; return the clear failures (errors, queries growing with sites)."""
    sizes = sorted(results)
    smallest = results[sizes[0]]
    floor_ms = (
        statistics.median(t for size in sizes for t in results[size][FLOOR].seconds or [0.0]) * 1000
    )
    floor_q = smallest[FLOOR].query_count
    print(
        f"\nfloor: a trivial logged-in page (the member's API tokens), median {floor_ms:.1f} ms, "
        f"{floor_q} queries, measured in the same rounds"
    )
    print(
        f"{'page':<18}{'sites':>6}{'median':>11}{'× floor':>9}{'× 5 sites':>11}"
        f"{'HTML KiB':>10}{'queries':>9}"
    )
    failures = []
    for name in smallest:
        if name == FLOOR:
            continue
        base = smallest[name]
        for size in sizes:
            f = results[size][name]
            if f.error:
                failures.append(f"{name} at {size} sites: {f.error}")
                print(f"{name:<18}{size:>6}  FAILED: {f.error}")
                continue
            # Each size's ratio to the floor uses the floor of its own rounds.
            own_floor = results[size][FLOOR].median_ms or floor_ms
            growth = f.median_ms / base.median_ms if base.median_ms else 0.0
            print(
                f"{name:<18}{size:>6}{f.median_ms:>8.1f} ms{f.median_ms / own_floor:>8.1f}×"
                f"{growth:>10.2f}×{f.size / 1024:>10.0f}{f.query_count:>9}"
            )
            if base.queries and f.query_count > base.query_count:
                failures.append(
                    f"{name}: {f.query_count} queries at {size} sites, "
                    f"{base.query_count} at {sizes[0]}"
                )
    return failures


def run(sizes: list[int], rounds: int) -> int:
    """Build each estate, measure it, print the table; 1 on a clear failure."""
    from django.contrib.auth import get_user_model

    from tenancy.models import Membership, Organisation, Role

    organisation = Organisation.objects.create(
        name="Bench Partner", slug="bench", company_name="Bench Voice Partners Ltd"
    )
    user = get_user_model().objects.create_user("bench", password="bench-password-2026")
    Membership.objects.create(user=user, organisation=organisation, role=Role.SALES_ENGINEER)
    client = Client()
    client.force_login(user)
    print(f"pages: {connection.vendor}, {rounds} rounds per size, sites {sizes}")
    results: dict[int, dict[str, Figures]] = {}
    for n_sites in sizes:
        start = time.perf_counter()
        estate = build(user, organisation, n_sites)
        built = time.perf_counter() - start
        results[n_sites] = measure(client, estate, rounds)
        grid = results[n_sites]["sites grid"]
        print(f"  {n_sites:>5} sites: built in {built:.1f} s, grid {grid.median_ms:.0f} ms")
    failures = report(results)
    for failure in failures:
        print(f"FAILED: {failure}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    """Create a throwaway database, measure, and drop it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="5 and 100 sites, 3 rounds (CI)")
    parser.add_argument("--sites", type=int, nargs="+", help="sizes (default 5 100 500 2000)")
    parser.add_argument("--rounds", type=int, help="timed rounds per size (default 7; smoke 3)")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sites or (SMOKE_SIZES if args.smoke else FULL_SIZES)))
    rounds = args.rounds or (3 if args.smoke else 7)

    setup_test_environment()
    with contextlib.redirect_stdout(io.StringIO()):  # createcachetable talks
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return run(sizes, rounds)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    sys.exit(main())
