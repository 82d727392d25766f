"""Build small deterministic stores and files for tests."""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from analysis.pipeline.load import import_file
from analysis.store import Store

OUTLETS = [
    ("Daily Planet", "dailyplanet.example", "left", "US"),
    ("Gotham Gazette", "gothamgazette.example", "right", "US"),
    ("Star City Star", "starcity.example", "center", "US"),
    ("Metropolis Mirror", "mirror.example", "center", "GB"),
]
SUBJECTS = [
    ("election", "The election campaign entered its final week as candidates crossed swing states."),
    ("storm", "A powerful storm flooded coastal towns and cut power to thousands of homes."),
    ("budget", "Lawmakers argued over the federal budget as a shutdown deadline approached."),
]


def fixture_rows(n_per_outlet: int = 15, seed: int = 7) -> list[dict[str, str]]:
    """Articles from four outlets over six weeks in January-February 2020, plus two undated ones."""
    rng = random.Random(seed)
    start = datetime(2020, 1, 6, 8, tzinfo=UTC)
    rows = []
    for o_index, (name, domain, bias, country) in enumerate(OUTLETS):
        for i in range(n_per_outlet * (o_index + 1) // 2 + 3):
            subject, lead = SUBJECTS[i % len(SUBJECTS)]
            day = start + timedelta(days=rng.randint(0, 41), hours=rng.randint(0, 12))
            rows.append(
                {
                    "url": f"https://{domain}/{subject}/{i}",
                    "title": f"{name} report {i} on the {subject}",
                    "text": f"{lead} Report number {i} from {name}. " * 3,
                    "outlet": name,
                    "date": day.isoformat(),
                    "bias": bias,
                    "country": country,
                    "section": subject,
                }
            )
    rows.append(
        {
            "url": "https://dailyplanet.example/undated/1",
            "title": "Undated feature",
            "text": "A feature without a date.",
            "outlet": "Daily Planet",
            "date": "",
            "bias": "left",
            "country": "US",
            "section": "feature",
        }
    )
    rows.append(
        {
            "url": "https://starcity.example/undated/2",
            "title": "Another undated piece",
            "text": "No date here either.",
            "outlet": "Star City Star",
            "date": "not a date",
            "bias": "center",
            "country": "US",
            "section": "feature",
        }
    )
    return rows


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=delimiter)
        w.writeheader()
        w.writerows(rows)
    return path


def build_store(path: Path) -> Path:
    """A store with the fixture articles imported through the real importer."""
    src = write_csv(path.parent / "fixture_articles.csv", fixture_rows())
    with Store(path) as store:
        import_file(store, src)
    return path
