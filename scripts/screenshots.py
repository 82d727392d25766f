"""Take README screenshots of every page against a store: python scripts/screenshots.py [--db PATH]."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, start_app, wait_for_app  # noqa: E402

PAGES = {
    "overview": "overview",
    "topics": "topics?topic=0",
    "trends": "trends?period=month&compare=immigration&compare=climate&compare=tariffs",
    "outlets": "outlets?compare=bias&pick_bias=left&pick_bias=right",
    "article": "article?article={article}",
}


def main() -> None:
    from playwright.sync_api import sync_playwright

    from analysis.config import db_path

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", default=str(db_path()))
    ap.add_argument("--out", default=str(ROOT / "docs"))
    args = ap.parse_args()
    from analysis.store import Store

    with Store(args.db) as conn:  # an article that is part of a story covered by many outlets
        article = conn.execute(
            "SELECT m.article_id FROM story_members m JOIN stories s USING (story_id) JOIN articles a ON a.id ="
            " m.article_id WHERE a.outlet = 'Reuters' ORDER BY s.outlets DESC, m.article_id LIMIT 1"
        ).fetchone()[0]
    proc, url = start_app(Path(args.db))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            for name, path in PAGES.items():
                page.goto(f"{url}/{path.format(article=article)}")
                wait_for_app(page, timeout=120_000)
                page.wait_for_timeout(3000)
                out = Path(args.out) / f"{name}.png"
                page.screenshot(path=str(out))
                print(f"wrote {out}")
            browser.close()
    finally:
        proc.terminate()


if __name__ == "__main__":
    main()
