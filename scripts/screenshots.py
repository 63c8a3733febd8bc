"""Take the README's screenshots: log in as each demo user in Chromium and save the landing page.

Run against a server with the demo data, e.g.:
    bash scripts/demo.sh &            # or: .venv/bin/python manage.py runserver 127.0.0.1:8000
    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 docs/screenshots
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = [
    ("medarbetare", None, "team.png"),
    ("enhetschef", None, "styrkort.png"),
    ("ledamot", None, "malrapport.png"),
    ("strateg", None, "omgangar.png"),
]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]


def main(base_url, out_dir):
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for username, path, filename in PAGES:
            context = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base_url}/logga-in/")
            page.fill("#id_username", username)
            page.fill("#id_password", "tillit-demo-2026")
            page.click("main button[type=submit]")
            page.wait_for_load_state("networkidle")
            if path:
                page.goto(base_url + path)
            page.screenshot(path=str(out / filename), full_page=False)
            print(f"{username}: {page.url} -> {out / filename}")
            context.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000", sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots")
