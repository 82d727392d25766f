"""Benchmark runner: python -m analysis bench [NAME ...]; prints tables and writes bench/results/*.json.

Names: import, startup, embed, topics, topics_speed, stories, story_sets, similar, similar_floor, intel, sentiment,
pages, browser, collect, text, entities, quotes, team, stages, million (default: all but million, which takes hours).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BENCHES = {
    "import": "bench.bench_import",
    "startup": "bench.bench_startup",
    "embed": "bench.bench_embed",
    "topics": "bench.eval_topics",
    "topics_speed": "bench.bench_topics",
    "stories": "bench.eval_stories",
    "similar": "bench.eval_stories:run_similar",
    "story_sets": "bench.eval_story_sets",
    "similar_floor": "bench.eval_similar_floor",
    "intel": "bench.bench_intel",
    "sentiment": "bench.eval_sentiment",
    "pages": "bench.bench_pages",
    "browser": "bench.bench_browser",
    "collect": "bench.bench_collect",
    "text": "bench.bench_text",
    "entities": "bench.eval_entities",
    "quotes": "bench.eval_quotes",
    "team": "bench.bench_team",
    "stages": "bench.bench_stages",
    "million": "bench.bench_million",
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="*", help=f"benchmarks to run: {', '.join(BENCHES)} (default: all but million)")
    args = ap.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHES]
    if unknown:
        ap.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHES)}")
    from analysis.config import Settings, use

    use(Settings.from_env())
    for name in args.names or [n for n in BENCHES if n != "million"]:
        module, _, func = BENCHES[name].partition(":")
        getattr(importlib.import_module(module), func or "run")()


if __name__ == "__main__":
    main()
