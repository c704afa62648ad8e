"""Benchmark: import a generated 5,000-site CSV into a fresh assessment; prints rows per second.

Runs standalone on a throwaway test database (in-memory SQLite by default, or a test_
database next to DATABASE_URL's PostgreSQL): `python bench/import_sites.py [--smoke]`.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings_test"

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment, teardown_test_environment  # noqa: E402

COUNTRIES = ("DE", "United States", "FR", "GB", "IN", "Brazil", "JP", "AU", "ZA", "NL")
YNU = ("Yes", "No", "Don't know", "")
WIFI = ("Managed, 5 GHz with WMM/QoS", "Unmanaged / consumer-grade", "wired", "")


def make_csv(rows: int, seed: int = 7) -> bytes:
    """A site list as a customer would send it: lenient headings, mixed spellings."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Site",
            "Country",
            "City",
            "Headcount",
            "Teams Rooms",
            "Download Mbps",
            "Upload Mbps",
            "Backup down",
            "Backup up",
            "Backup type",
            "LTE backup",
            "Wi-Fi",
            "Client RTT (ms)",
            "Client jitter (ms)",
            "Client loss (%)",
            "Notes",
        ]
    )
    for i in range(rows):
        backup = rng.random() < 0.4
        writer.writerow(
            [
                f"Branch {i:05d}",
                rng.choice(COUNTRIES),
                f"City {i % 700}",
                rng.randint(1, 3_000),
                rng.randint(0, 20),
                rng.choice((50, 100, 200, 500, 1000)),
                rng.choice((10, 20, 50, 100)),
                50 if backup else "",
                10 if backup else "",
                "LTE" if backup else "",
                rng.choice(YNU),
                rng.choice(WIFI),
                round(rng.uniform(10, 200), 1),
                round(rng.uniform(1, 40), 1),
                round(rng.uniform(0, 3), 2),
                "=looks like a formula" if i % 97 == 0 else "",
            ]
        )
    return out.getvalue().encode("utf-8")


def main() -> None:
    """Create a throwaway database, then time parse+validate and commit."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--smoke", action="store_true", help="200 rows, for CI")
    args = parser.parse_args()
    rows = 200 if args.smoke else args.rows

    setup_test_environment()
    with contextlib.redirect_stdout(io.StringIO()):  # createcachetable talks
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        run(rows)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


def run(rows: int) -> None:
    """Time the phases of an import of ``rows`` new sites, then a no-change re-import."""
    from django.contrib.auth import get_user_model

    from assessments.models import Assessment, Circuit, Customer, Site
    from assessments.services.versioning import Actor
    from imports.services import site_lists as imports
    from tenancy.models import Membership, Organisation

    org = Organisation.objects.create(name="Bench", slug="bench", company_name="Bench Ltd")
    user = get_user_model().objects.create_user("bench", password="x-bench-password-2026")
    Membership.objects.create(user=user, organisation=org, role="se")
    customer = Customer.objects.create(organisation=org, name="Bench customer", country="DE")
    assessment = Assessment.objects.create(
        organisation=org, customer=customer, title="Bench", owner=user
    )
    actor = Actor.for_user(user)
    data = make_csv(rows)
    print(f"import_sites: {rows:,} rows, {len(data) / 1024:.0f} KiB CSV ({connection.vendor})")

    start = time.perf_counter()
    parsed = imports.parse_site_file(data=data, file_name="bench.csv")
    payload = parsed.payload()
    plan = imports.plan_import(assessment=assessment, payload=payload)
    parse_s = time.perf_counter() - start
    assert not plan.errors, [str(p) for p in plan.errors[:5]]
    assert plan.count("create") == rows

    start = time.perf_counter()
    imports.site_import_commit(
        assessment=assessment, payload=payload, fingerprint=plan.fingerprint, actor=actor
    )
    commit_s = time.perf_counter() - start
    assert Site.objects.filter(assessment=assessment).count() == rows
    circuits = Circuit.objects.filter(site__assessment=assessment).count()

    start = time.perf_counter()
    exported = imports.sites_export_csv(assessment=assessment)
    again = imports.parse_site_file(data=exported, file_name="export.csv").payload()
    replan = imports.plan_import(assessment=assessment, payload=again)
    roundtrip_s = time.perf_counter() - start
    assert replan.count("unchanged") == rows, "export did not re-import to the same sites"

    start = time.perf_counter()
    workbook = imports.sites_export_xlsx(assessment=assessment)
    xlsx_write_s = time.perf_counter() - start
    start = time.perf_counter()
    xlsx_rows = imports.parse_site_file(data=workbook, file_name="export.xlsx").rows
    xlsx_read_s = time.perf_counter() - start
    assert len(xlsx_rows) == rows

    print(f"  parse + validate + preview plan: {parse_s:6.2f} s  {rows / parse_s:9,.0f} rows/s")
    print(
        f"  commit (sites, {circuits:,} circuits, log): {commit_s:6.2f} s  "
        f"{rows / commit_s:9,.0f} rows/s"
    )
    print(
        f"  export + re-read + plan (no changes): {roundtrip_s:6.2f} s  "
        f"{rows / roundtrip_s:9,.0f} rows/s"
    )
    print(f"  Excel export: {xlsx_write_s:6.2f} s  {rows / xlsx_write_s:9,.0f} rows/s")
    print(f"  Excel parse + validate: {xlsx_read_s:6.2f} s  {rows / xlsx_read_s:9,.0f} rows/s")
    print(f"  total import (parse, preview, commit): {parse_s + commit_s:.2f} s")


if __name__ == "__main__":
    main()
