"""Re-make the shipped demo corpus from the AllSides data set (Baly et al., EMNLP 2020).

Usage: python scripts/make_demo.py [SOURCE] [--n 8000] [--outlets 25]
SOURCE defaults to ../shared/data/allsides/articles.jsonl.gz. Writes data/demo/allsides-demo-*.jsonl.gz,
each under 20 MiB, deterministic for the same input.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from analysis.ingest.dates import DateParser
from analysis.text.clean import clean_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "allsides" / "articles.jsonl.gz"
OUT_DIR = ROOT / "data" / "demo"
# AllSides labels that are not outlets: guest columns, roundups and named columnists.
NOT_OUTLETS = ("Guest Writer", "The Flip Side", "Opinion")
WINDOW = ("2018-01-01", "2020-12-31")
MAX_PART_BYTES = 19 * 1024 * 1024
SEED = 20201231
# AllSides names some outlets by feed ("CNN (Web News)"); the demo uses the names readers know.
RENAME = {
    "CNN (Web News)": "CNN",
    "New York Times - News": "New York Times",
    "Fox Online News": "Fox News",
    "NPR Online News": "NPR",
    "TheBlaze.com": "TheBlaze",
    "Wall Street Journal - News": "Wall Street Journal",
}
COUNTRY = {"The Guardian": "GB", "Reuters": "GB", "BBC News": "GB"}


def build(source: Path, n: int, n_outlets: int) -> pd.DataFrame:
    df = pd.read_json(source, lines=True, dtype=False)
    df = df[~df.source.str.contains("|".join(NOT_OUTLETS), regex=True)]
    parsed, _ = DateParser().parse_many(df.date.tolist())
    df["published"] = parsed
    in_window = df.published.between(WINDOW[0], WINDOW[1] + "T23:59:59Z")
    undated = df.published.isna()
    # The largest outlets by coverage inside the window.
    outlets = df[in_window].source.value_counts().head(n_outlets).index
    df = df[df.source.isin(outlets) & (in_window | undated)].copy()
    df["text"] = [clean_text(t, h) for t, h in zip(df.text, df.title, strict=True)]
    df = df[df.text.str.len() >= 400]
    dated = df[df.published.notna()]
    nodate = df[df.published.isna()]
    n_undated = min(len(nodate), max(1, n // 50))
    sample = pd.concat(
        [
            dated.sample(n=min(n - n_undated, len(dated)), random_state=SEED),
            nodate.sample(n=n_undated, random_state=SEED),
        ]
    )
    out = pd.DataFrame(
        {
            "url": sample.url,
            "title": sample.title.str.strip(),
            "text": sample.text,
            "outlet": sample.source.replace(RENAME),
            "country": [COUNTRY.get(o, "US") for o in sample.source],
            "date": sample.published.fillna(""),
            "authors": sample.authors.fillna(""),
            "allsides_topic": sample.topic,
            "bias": sample.bias,
        }
    )
    return out.sort_values(["date", "outlet", "url"]).reset_index(drop=True)


def write(df: pd.DataFrame) -> list[Path]:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for old in OUT_DIR.glob("allsides-demo-*.jsonl.gz"):
        old.unlink()
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in df.to_dict(orient="records")]
    parts: list[list[str]] = [[]]
    size = 0
    for line in lines:
        b = len(line.encode("utf-8")) // 3  # gzip shrinks news text about 3x
        if size + b > MAX_PART_BYTES and parts[-1]:
            parts.append([])
            size = 0
        parts[-1].append(line)
        size += b
    paths = []
    for i, part in enumerate(parts, 1):
        path = OUT_DIR / f"allsides-demo-{i}.jsonl.gz"
        with gzip.GzipFile(path, "wb", mtime=0) as fh:
            fh.write("".join(part).encode("utf-8"))
        paths.append(path)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--n", type=int, default=8000)
    ap.add_argument("--outlets", type=int, default=25)
    args = ap.parse_args()
    if not args.source.exists():
        sys.exit(f"{args.source} not found; pass the path of the AllSides articles.jsonl.gz.")
    df = build(args.source, args.n, args.outlets)
    paths = write(df)
    too_big = [p for p in paths if p.stat().st_size > 20 * 2**20]
    if too_big:
        sys.exit(f"{too_big[0]} is over 20 MiB; lower MAX_PART_BYTES.")
    dated = df[df.date != ""]
    print(
        f"{len(df)} articles, {df.outlet.nunique()} outlets, {dated.date.min()[:10]} to {dated.date.max()[:10]}, "
        f"{(df.date == '').sum()} without a date"
    )
    for p in paths:
        print(f"  {p.relative_to(ROOT)}: {p.stat().st_size / 2**20:.1f} MiB")
    print(df.outlet.value_counts().to_string())


if __name__ == "__main__":
    main()
