"""Load and fault test: sales engineers and customers against gunicorn + PostgreSQL on loopback.

Usage:
    python loadtest/run.py                 # 50 people for 60 s, 1 s pauses; saturation; fault
    python loadtest/run.py --think 3       # people reading longer between pages
    python loadtest/run.py --smoke         # 10 people, a few seconds a run (CI)
    python loadtest/run.py --users 50 --seconds 120 --no-fault

It starts its own PostgreSQL and gunicorn on 127.0.0.1, seeds the demo data, runs a bounded
number of simulated people (four in five sales engineers, one in five customer contacts on
invite links) for a bounded time, and prints throughput, p50/p95/p99 latency and the error
count of the product's mix. Beside each figure it prints its floor, measured in the same
run at the same concurrency: the same number of logged-in people asking only for a trivial
page (their API tokens), so a busy machine slows both alike. It does so twice: with pauses
between pages (``--think``, 1 s by default), then with none (the server's saturation, in
requests per second). The fault run restarts PostgreSQL in the middle and then checks that
every write the server acknowledged is stored (acknowledged vs stored), and that the app
recovered. Issue #16's aims (p95 at most 300 ms with pauses, the mix at least half the
floor's requests per second at saturation) are printed as met or not; only errors and
lost writes fail the run, as times depend on the machine's load.
"""

import argparse
import http.cookiejar
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loadtest.stack import Postgres, gunicorn, manage, portal_env  # noqa: E402

PASSWORD = "teams-demo-2026"
SALES_ENGINEERS = ["sam", "lena"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ASSESSMENT = re.compile(r'href="/assessments/(\d+)/"')
ROW_FORM = re.compile(r'id="row-(\d+)-form" method="post" action="([^"]+)"')


@dataclass
class Stats:
    """Latencies and failures, shared by every simulated user."""

    latencies: list[float] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    acknowledged: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, error: str | None = None, path: str = "") -> None:
        """Count one request."""
        page = re.sub(r"\d+", "N", re.sub(r"^/i/[^/]+/", "/i/TOKEN/", path.split("?")[0]))
        with self.lock:
            self.latencies.append(seconds)
            self.by_page.setdefault(page, []).append(seconds)
            if error:
                self.errors.append(error)


class User:
    """One browser: its own cookies, logging in and clicking through like a person."""

    def __init__(self, base: str, stats: Stats, rng: random.Random) -> None:
        self.base = base
        self.stats = stats
        self.rng = rng
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: dict | None = None, headers: dict | None = None):
        """GET (or POST ``data``) and record the latency; returns (status, body, headers)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=30) as response:
                text = response.read().decode("utf-8", "replace")
                self.stats.record(time.perf_counter() - started, path=path)
                return response.status, text, response.headers
        except urllib.error.HTTPError as exc:
            self.stats.record(time.perf_counter() - started, f"{exc.code} {path}", path)
            return exc.code, exc.read().decode("utf-8", "replace"), exc.headers
        except OSError as exc:
            self.stats.record(time.perf_counter() - started, f"{type(exc).__name__} {path}", path)
            return 0, "", {}

    def csrf(self, html: str) -> str:
        """The CSRF token of a page's form."""
        match = CSRF.search(html)
        return match.group(1) if match else ""

    def login(self, username: str) -> bool:
        """Log in through the real form."""
        _status, page, _headers = self.request("/accounts/login/")
        status, _body, _headers = self.request(
            "/accounts/login/",
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf(page)},
        )
        return status == 200


def sales_engineer(user: User, until: float, write: bool, think: float) -> None:
    """Dashboard, an assessment, its grid (adding a site), results, questions; repeat.

    Between pages the user pauses for ``think`` seconds on average, as people do.
    """
    original = user.request

    def request_then_think(*args, **kwargs):
        result = original(*args, **kwargs)
        if think:
            time.sleep(user.rng.uniform(0.5 * think, 1.5 * think))
        return result

    # Only for this run: the same people take part in later runs with other pauses.
    user.request = request_then_think
    try:
        _browse(user, until, write)
    finally:
        del user.request


def _browse(user: User, until: float, write: bool) -> None:
    """The sales engineer's round of pages, until ``until``."""
    while time.monotonic() < until:
        _s, dashboard, _h = user.request("/?scope=all")
        ids = ASSESSMENT.findall(dashboard)
        if not ids:
            continue
        pk = user.rng.choice(ids)
        user.request(f"/assessments/{pk}/")
        _s, grid, _h = user.request(f"/assessments/{pk}/sites/")
        token = user.csrf(grid)
        if write and token:
            name = f"Load {threading.get_ident()}-{time.monotonic_ns()}"
            status, _b, headers = user.request(
                f"/assessments/{pk}/sites/add/",
                {"csrfmiddlewaretoken": token, "name": name, "country": "DE", "users": "25",
                 "teams_rooms": "0", "internet_breakout": "local", "lte_backup": "unknown",
                 "qos": "unknown", "wifi": "unknown"},
                {"HX-Request": "true", "X-CSRFToken": token},
            )  # fmt: skip
            if status == 200 and headers.get("HX-Trigger") == "site-created":
                with user.stats.lock:
                    user.stats.acknowledged.append(name)
        user.request(f"/assessments/{pk}/results/")
        user.request(f"/assessments/{pk}/questions/")


# The floor: a logged-in page that does next to nothing (the member's API tokens).
FLOOR_PAGE = "/account/tokens/"
P95_AIM_MS = 300  # issue #16: the mix's p95 with 1 s pauses
SATURATION_AIM = 0.5  # issue #16: the mix's requests/s at saturation over the floor's


def trivial_pages(user: User, until: float, think: float) -> None:
    """The floor's person: the trivial logged-in page, again and again, pausing between."""
    while time.monotonic() < until:
        user.request(FLOOR_PAGE)
        if think:
            time.sleep(user.rng.uniform(0.5 * think, 1.5 * think))


INVITE_LINK = re.compile(r'id="invite-link"[^>]*value="([^"]+)"')
CUSTOMER_STEPS = ["", "organisation/", "voice/", "sites/", "measurements/", "review/"]


def customer_links(base: str, count: int) -> list[str]:
    """Invite ``count`` customer contacts (as a sales engineer would) and return their links."""
    staff = User(base, Stats(), random.Random(99))
    staff.login(SALES_ENGINEERS[0])
    _s, dashboard, _h = staff.request("/?scope=all")
    ids = ASSESSMENT.findall(dashboard)
    links = []
    for i in range(count):
        pk = ids[i % len(ids)]
        _s, page, _h = staff.request(f"/assessments/{pk}/invites/")
        form = {
            "csrfmiddlewaretoken": staff.csrf(page),
            "contact_name": f"Load contact {i}",
            "email": f"contact{i}@customer.example",
            "valid_days": "7",
        }
        body = urllib.parse.urlencode(form) + "".join(
            f"&sections={s}" for s in ("organisation", "voice", "sites", "measurements")
        )
        req = urllib.request.Request(base + f"/assessments/{pk}/invites/", data=body.encode())
        with staff.opener.open(req, timeout=30) as response:
            match = INVITE_LINK.search(response.read().decode("utf-8", "replace"))
        if match:
            links.append(match.group(1).split("/i/", 1)[1].split("/", 1)[0])
    return links


def customer(user: User, token: str, until: float, think: float) -> None:
    """A customer contact walking through the guided steps of its invite link, repeatedly."""
    while time.monotonic() < until:
        for step in CUSTOMER_STEPS:
            if time.monotonic() >= until:
                return
            user.request(f"/i/{token}/{step}")
            time.sleep(user.rng.uniform(0.5 * think, 1.5 * think))


def log_in_all(base: str, users: int, stats: Stats, seed: int = 7) -> list[User]:
    """Log every simulated user in before the measured traffic starts.

    Hashing passwords is deliberately slow and a real workshop logs in once.
    """
    people = [User(base, stats, random.Random(seed + i)) for i in range(users)]
    threads = [
        threading.Thread(target=p.login, args=(SALES_ENGINEERS[i % 2],))
        for i, p in enumerate(people)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return people


def run_users(
    people: list[User],
    seconds: float,
    write: bool,
    think: float = 3.0,
    customers: list[str] = (),
) -> Stats:
    """Let logged-in users and customer contacts work for ``seconds``; return what they saw.

    ``customers`` holds the invite tokens of the customer contacts.
    """
    stats = Stats()
    for person in people:
        person.stats = stats
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=sales_engineer, args=(person, until, write, think))
        for person in people
    ]
    threads += [
        threading.Thread(
            target=customer,
            args=(User(people[0].base, stats, random.Random(500 + i)), token, until, think),
        )
        for i, token in enumerate(customers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return stats


def run_floor(people: list[User], seconds: float, think: float) -> Stats:
    """Let logged-in ``people`` ask only for the trivial page for ``seconds``."""
    stats = Stats()
    for person in people:
        person.stats = stats
    until = time.monotonic() + seconds
    threads = [
        threading.Thread(target=trivial_pages, args=(person, until, think)) for person in people
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return stats


def percentiles(stats: Stats) -> list[float]:
    """The 1st to 99th percentiles of the latencies, in seconds (zeros when none)."""
    lat = sorted(stats.latencies)
    if len(lat) < 2:
        return [lat[0] if lat else 0.0] * 99
    return statistics.quantiles(lat, n=100, method="inclusive")


def compare(title: str, mix: Stats, floor: Stats, seconds: float, paced: bool) -> bool:
    """Print the mix's figures with the floor's beside them; whether issue #16's aim is met."""
    q, f = percentiles(mix), percentiles(floor)
    mix_rate, floor_rate = len(mix.latencies) / seconds, len(floor.latencies) / seconds
    ratio = mix_rate / floor_rate if floor_rate else 0.0
    print(
        f"{title}: mix {mix_rate:.1f} req/s, p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, "
        f"errors {len(mix.errors)} | floor (trivial page) {floor_rate:.1f} req/s, "
        f"p50 {f[49] * 1000:.0f} ms, p95 {f[94] * 1000:.0f} ms, errors {len(floor.errors)} | "
        f"mix/floor: {ratio:.2f}× req/s, {q[94] / f[94] if f[94] else 0:.1f}× p95"
    )
    if paced:
        met = q[94] * 1000 <= P95_AIM_MS and not mix.errors
        print(f"  aim p95 ≤ {P95_AIM_MS} ms with 0 errors: {'met' if met else 'NOT met'}")
    else:
        met = ratio >= SATURATION_AIM
        verdict = "met" if met else "NOT met"
        print(f"  aim at saturation ≥ {SATURATION_AIM}× the floor's req/s: {verdict}")
    return met


def report(title: str, stats: Stats, seconds: float) -> None:
    """Print throughput, latency percentiles and errors."""
    lat = sorted(stats.latencies)
    if not lat:
        print(f"{title}: no requests")
        return
    q = percentiles(stats)
    print(
        f"{title}: {len(lat)} requests in {seconds:.0f} s = {len(lat) / seconds:.1f} req/s; "
        f"p50 {q[49] * 1000:.0f} ms, p95 {q[94] * 1000:.0f} ms, p99 {q[98] * 1000:.0f} ms; "
        f"errors {len(stats.errors)}"
    )
    for page, values in sorted(stats.by_page.items()):
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
        median = statistics.median(values) * 1000
        print(f"  {page:<40} n={len(values):<5} median {median:5.0f} ms  p95 {p95 * 1000:5.0f} ms")
    if stats.errors:
        kinds: dict[str, int] = {}
        for error in stats.errors:
            code = error.split(" ", 1)[0]
            kinds[code] = kinds.get(code, 0) + 1
        print("  errors by kind:", ", ".join(f"{k} × {n}" for k, n in sorted(kinds.items())))
        # Invite links are secrets even here: the output is CI's log.
        shown = [re.sub(r"/i/[^/\s]+/", "/i/TOKEN/", error) for error in stats.errors[:5]]
        print("  first errors:", "; ".join(shown))


def stored_sites(env: dict[str, str], names: list[str]) -> set[str]:
    """Which of ``names`` exist as sites in the database."""
    import os

    import django

    os.environ.update(env)
    django.setup()
    from assessments.models import Site

    found: set[str] = set()
    for start in range(0, len(names), 500):
        found |= set(
            Site.objects.filter(name__in=names[start : start + 500]).values_list("name", flat=True)
        )
    return found


def main() -> int:
    """Run the load test, then the fault test; exit 1 if an acknowledged write was lost."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn process")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds a user pauses between pages"
    )
    parser.add_argument(
        "--saturation-seconds", type=float, default=30, help="each run without pauses"
    )
    parser.add_argument("--no-fault", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="10 users, a few seconds a run (CI)")
    args = parser.parse_args()
    if args.smoke:
        args.users, args.seconds, args.saturation_seconds = 10, 8, 4
    pg = Postgres()
    try:
        pg.start()
        pg.createdb()
        env = portal_env(pg.url, static_root=str(pg.dir / "static"))
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo")
        with gunicorn(env, args.workers, args.threads) as base:
            # One in five simulated people is a customer contact on an invite link.
            contacts = args.users // 5
            links = customer_links(base, contacts)
            people = log_in_all(base, args.users - contacts, Stats())
            # The floor runs at the same concurrency: as many logged-in people as the mix's.
            floor_people = people + log_in_all(base, len(links), Stats(), seed=1000)
            stats = run_users(people, args.seconds, write=False, think=args.think, customers=links)
            title = f"{len(people)} sales engineers, {len(links)} customer contacts"
            report(f"load ({title}, {args.think:g} s pauses)", stats, args.seconds)
            floor = run_floor(floor_people, args.seconds, args.think)
            saturated = run_users(
                people, args.saturation_seconds, write=False, think=0, customers=links
            )
            report(f"saturation ({title}, no pauses)", saturated, args.saturation_seconds)
            floor_saturated = run_floor(floor_people, args.saturation_seconds, 0)
            print(f"floor: {len(floor_people)} logged-in people asking for {FLOOR_PAGE} only")
            compare(f"{args.think:g} s pauses", stats, floor, args.seconds, paced=True)
            compare("saturation", saturated, floor_saturated, args.saturation_seconds, paced=False)
            errors = stats.errors + floor.errors + saturated.errors + floor_saturated.errors
            if args.no_fault:
                return 1 if errors else 0
            result: dict[str, Stats] = {}
            worker = threading.Thread(
                target=lambda: result.setdefault(
                    "s",
                    run_users(people, args.seconds, write=True, think=args.think, customers=links),
                )
            )
            worker.start()
            time.sleep(args.seconds / 3)
            print("fault: restarting PostgreSQL…")
            pg.stop()
            time.sleep(1.0)
            pg.start()
            worker.join()
            fault = result["s"]
            report(f"fault run ({args.users} users, PostgreSQL restarted)", fault, args.seconds)
            after = User(base, Stats(), random.Random(1))
            recovered = after.login("sam") and after.request("/")[0] == 200
            acknowledged = fault.acknowledged
            stored = stored_sites(env, acknowledged)
            lost = [n for n in acknowledged if n not in stored]
            print(
                f"fault: {len(acknowledged)} writes acknowledged, {len(stored)} stored, "
                f"{len(lost)} lost; recovered after restart: {'yes' if recovered else 'NO'}"
            )
            return 1 if lost or not recovered or errors else 0
    finally:
        pg.destroy()


if __name__ == "__main__":
    sys.exit(main())
