"""The articles behind the hand-labelled development sets in bench/devsets/ (outside the demo): their texts
are read from ../shared by id, never copied into the repository. Ids are "allsides:<id>" (the full AllSides
file) or "intl:<article_id>" (the international corpus)."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path
from typing import Any

from bench.common import ALLSIDES, ROOT, SHARED

DEVSETS = ROOT / "bench" / "devsets"
INTL = SHARED / "intl" / "news_articles_3824.csv.gz"


def present() -> bool:
    return ALLSIDES.exists() and INTL.exists()


def gold(prefix: str) -> list[dict[str, Any]]:
    """The labelled lines of every bench/devsets/<prefix>_*.jsonl, in file order."""
    out: list[dict[str, Any]] = []
    for path in sorted(DEVSETS.glob(f"{prefix}_*.jsonl")):
        out.extend(json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return out


def articles(ids: set[str]) -> dict[str, dict[str, str]]:
    """id -> {outlet, title, text} for the given ids."""
    out: dict[str, dict[str, str]] = {}
    with gzip.open(ALLSIDES, "rt") as fh:
        for line in fh:
            r = json.loads(line)
            key = f"allsides:{r['id']}"
            if key in ids:
                out[key] = {"outlet": r.get("source") or "", "title": r.get("title") or "", "text": r.get("text") or ""}
    with gzip.open(INTL, "rt") as fh:
        for r in csv.DictReader(fh):
            key = f"intl:{r['article_id']}"
            if key in ids:
                out[key] = {
                    "outlet": Path(r["article_source_link"]).parts[1] if "//" in r["article_source_link"] else "",
                    "title": r.get("title") or "",
                    "text": r.get("text") or "",
                }
    return out


def first_words(text: str, n: int) -> str:
    """The first n words, whitespace flattened: what the labeller read."""
    return " ".join(text.split()[:n])
