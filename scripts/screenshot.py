"""Log in to a running portal and save full-page screenshots of the given paths."""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    """Parse arguments, log in, and capture each path."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+", help="paths such as /customers/")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="sam")
    parser.add_argument("--password", default="teams-demo-2026")
    parser.add_argument("--out", default="var/screenshots")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--top", type=int, default=0, help="only this many pixels from the top")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": 900})
        if args.user:
            page.goto(f"{args.base}/accounts/login/")
            page.fill("input[name=username]", args.user)
            page.fill("input[name=password]", args.password)
            page.click("button[type=submit]")
        for path in args.paths:
            page.goto(f"{args.base}{path}")
            name = path.strip("/").replace("/", "_") or "home"
            target = out / f"{name}-{args.width}.png"
            if args.top:
                clip = {"x": 0, "y": 0, "width": args.width, "height": args.top}
                page.screenshot(path=str(target), full_page=True, clip=clip)
            else:
                page.screenshot(path=str(target), full_page=True)
            print(target)
        browser.close()


if __name__ == "__main__":
    main()
