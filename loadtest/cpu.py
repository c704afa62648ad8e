"""CPU per request of the load test's mix, page by page, beside the trivial page; and its HTML.

Usage:
    python loadtest/cpu.py                      # CPU ms per request of each page of the mix
    python loadtest/cpu.py --profile results    # cProfile of pages (names as printed, comma list)
    python loadtest/cpu.py --queries overview  # the SQL of pages (same names)
    python loadtest/cpu.py --html-out DIR       # write each page's HTML (tokens masked)

It starts a throwaway PostgreSQL (as ``loadtest/run.py`` does), seeds the demo data with the
production settings (cached templates, DEBUG off) and asks for the pages of the load test's
mix in-process with Django's test client, as its sales engineers and customer contacts do,
timing each request with the process's CPU clock (what the gunicorn workers spend, without
the network). The floor, the trivial logged-in page, is timed in the same rounds. Two
``--html-out`` folders taken before and after a change show whether a page's output moved
(``diff -r``): CSRF tokens, nonces and invite tokens are masked, as they differ per run.
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loadtest.stack import Postgres, manage, portal_env  # noqa: E402

ASSESSMENT = re.compile(r'href="/assessments/(\d+)/"')
INVITE_LINK = re.compile(r'id="invite-link"[^>]*value="([^"]+)"')
CUSTOMER_STEPS = ["", "organisation/", "voice/", "sites/", "measurements/", "review/"]
# What differs from one run to the next and is not the page's content.
VOLATILE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), r"\1CSRF"),
    (re.compile(r'("X-CSRFToken": ")[^"]+'), r"\1CSRF"),
    (re.compile(r'(nonce=")[^"]+'), r"\1NONCE"),
    (re.compile(r"/i/[A-Za-z0-9_-]{20,}/"), "/i/TOKEN/"),
    # The demo data is seeded anew each run: its times and the brand sheet's version differ.
    (re.compile(r'(datetime=")[^"]+'), r"\1TIME"),
    (re.compile(r"(\.css\?v=)\d+"), r"\1V"),
]


def mask(html: str) -> str:
    """The page's HTML without what changes on every request."""
    for pattern, replacement in VOLATILE:
        html = pattern.sub(replacement, html)
    return html


def pages(client, staff) -> dict[str, str]:
    """The mix's pages: name to URL (the first assessment of the dashboard; invite steps).

    The customer contact is invited to the first assessment still open to answers, as the
    load test's contacts mostly are (a submitted one sends every step to its results).
    """
    from django.test import Client  # once Django is set up on the throwaway database

    dashboard = client.get("/?scope=all").content.decode()
    ids = list(dict.fromkeys(ASSESSMENT.findall(dashboard)))
    pk = ids[0]
    for candidate in ids:
        token = _invite(staff, candidate)
        if Client().get(f"/i/{token}/organisation/").status_code == 200:
            break
    urls = {
        "floor /account/tokens/": "/account/tokens/",
        "dashboard": "/?scope=all",
        "overview": f"/assessments/{pk}/",
        "sites grid": f"/assessments/{pk}/sites/",
        "results": f"/assessments/{pk}/results/",
        "questions": f"/assessments/{pk}/questions/",
    }
    urls |= {f"invite {step or 'start'}": f"/i/{token}/{step}" for step in CUSTOMER_STEPS}
    return urls


def _invite(staff, pk: str) -> str:
    """Invite a contact to assessment ``pk`` as a sales engineer would; its link's token."""
    form = staff.get(f"/assessments/{pk}/invites/").content.decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    answer = staff.post(
        f"/assessments/{pk}/invites/",
        {
            "csrfmiddlewaretoken": csrf,
            "contact_name": "CPU contact",
            "email": "cpu@customer.example",
            "valid_days": "7",
            "sections": ["organisation", "voice", "sites", "measurements"],
        },
    )
    return INVITE_LINK.search(answer.content.decode()).group(1).split("/i/", 1)[1].split("/")[0]


def main() -> int:
    """Seed, then time (or profile, or save) each page of the mix."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--profile", help="a page name to profile with cProfile")
    parser.add_argument("--queries", help="page names whose SQL to print (commas between)")
    parser.add_argument("--html-out", help="folder to write each page's masked HTML to")
    args = parser.parse_args()
    pg = Postgres()
    try:
        pg.start()
        pg.createdb()
        env = portal_env(pg.url, static_root=str(pg.dir / "static"))
        env["ALLOWED_HOSTS"] = "testserver"
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo")
        os.environ.update(env)
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.test import Client

        staff = Client()
        staff.force_login(get_user_model().objects.get(username="sam"))
        customer = Client()
        urls = pages(staff, staff)
        clients = {name: customer if name.startswith("invite") else staff for name in urls}
        for name, url in urls.items():  # warm: templates compiled, caches filled
            assert clients[name].get(url, follow=True).status_code == 200, name
        if args.html_out:
            out = Path(args.html_out)
            out.mkdir(parents=True, exist_ok=True)
            for name, url in urls.items():
                html = mask(clients[name].get(url, follow=True).content.decode())
                (out / (re.sub(r"\W+", "_", name).strip("_") + ".html")).write_text(html)
            print(f"wrote {len(urls)} pages to {out}")
        if args.queries:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            for page in args.queries.split(","):
                with CaptureQueriesContext(connection) as ctx:
                    clients[page].get(urls[page], follow=True)
                print(f"===== {page}: {len(ctx.captured_queries)} queries")
                for query in ctx.captured_queries:
                    print("  ", query["sql"][:300])
        if args.profile:
            for page in args.profile.split(","):
                print(f"===== {page}")
                # The CPU clock: what the workers spend, without waiting for the database.
                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
                for _ in range(args.rounds):
                    clients[page].get(urls[page], follow=True)
                profiler.disable()
                stats = pstats.Stats(profiler).sort_stats("cumulative")
                stats.print_stats(60)
                stats.sort_stats("tottime").print_stats(25)
            return 0
        cpu: dict[str, list[float]] = {name: [] for name in urls}
        for _ in range(args.rounds):
            for name, url in urls.items():
                start = time.process_time()
                clients[name].get(url, follow=True)
                cpu[name].append(time.process_time() - start)
        floor = statistics.median(cpu["floor /account/tokens/"]) * 1000
        # The load test's mix: per round of a sales engineer 5 pages; a customer 6 steps.
        engineer = ["dashboard", "overview", "sites grid", "results", "questions"]
        invite = [n for n in urls if n.startswith("invite")]
        for name, values in cpu.items():
            ms = statistics.median(values) * 1000
            print(f"{name:<28} {ms:6.2f} ms CPU  {ms / floor:4.1f}× floor")
        per = {n: statistics.median(v) * 1000 for n, v in cpu.items()}
        # 40 engineers and 10 customers at the same pace: 4 engineer pages per customer step.
        mix = (4 * sum(per[n] for n in engineer) / 5 + sum(per[n] for n in invite) / 6) / 5
        print(
            f"mix (4 engineers : 1 customer) {mix:6.2f} ms CPU a request, {mix / floor:.2f}× floor"
        )
        return 0
    finally:
        pg.destroy()


if __name__ == "__main__":
    sys.exit(main())
