"""Entities: the tagger's speed and the alias rule's quality, on the demo (US politics, AllSides) and the
international corpus (../shared intl: Al Jazeera, TASS, BBC, China Daily, ...).

Alias quality is measured against hand-made groups (GOLD: the forms a reader takes for one entity) and
pairs that must stay apart (APART: relatives, namesakes). Over the mentions whose form is in a group:
- recall: the share (by mentions) resolved to the entity most of the group's mentions resolve to;
- apart: the share of APART pairs present in the corpus kept as two entities;
- split entities: groups whose forms end in more than one entity.
The rule's two choices (the dominance threshold for a surname or acronym alone, and looking in the same
article first) are compared in the same run; the defaults are marked.
"""

from __future__ import annotations

import gzip
import json
import time

import pandas as pd

from bench.common import ROOT, SHARED, report

CACHE = ROOT / "bench" / ".cache"
GOLD: dict[str, list[str]] = {
    "Donald Trump": ["Trump", "Donald Trump", "Donald J. Trump", "President Trump", "President Donald Trump"],
    "Barack Obama": ["Obama", "Barack Obama", "President Obama", "President Barack Obama", "Barack H. Obama"],
    "Joe Biden": ["Biden", "Joe Biden", "Vice President Joe Biden", "Former Vice President Joe Biden"],
    "Hillary Clinton": ["Hillary Clinton", "Hillary Rodham Clinton", "Secretary Clinton"],
    "Robert Mueller": ["Mueller", "Robert Mueller", "Robert S. Mueller", "Robert S. Mueller III"],
    "Nancy Pelosi": ["Pelosi", "Nancy Pelosi", "Speaker Pelosi", "Speaker Nancy Pelosi", "House Speaker Nancy Pelosi"],
    "Mitch McConnell": ["McConnell", "Mitch McConnell", "Senate Majority Leader Mitch McConnell"],
    "Bernie Sanders": ["Sanders", "Bernie Sanders", "Sen. Bernie Sanders"],
    "Elizabeth Warren": ["Warren", "Elizabeth Warren", "Sen. Elizabeth Warren"],
    "Vladimir Putin": ["Putin", "Vladimir Putin", "President Vladimir Putin"],
    "Xi Jinping": ["Xi", "Xi Jinping", "President Xi Jinping"],
    "Theresa May": ["Theresa May", "Prime Minister Theresa May"],
    "Angela Merkel": ["Merkel", "Angela Merkel", "Chancellor Angela Merkel"],
    "United States": ["US", "U.S.", "United States", "the United States", "America", "USA", "U.S.A."],
    "United Kingdom": ["UK", "U.K.", "Britain", "United Kingdom", "Great Britain"],
    "European Union": ["EU", "E.U.", "European Union"],
    "United Nations": ["UN", "U.N.", "United Nations"],
    "FBI": ["FBI", "F.B.I.", "Federal Bureau of Investigation"],
    "CIA": ["CIA", "Central Intelligence Agency"],
    "NATO": ["NATO", "North Atlantic Treaty Organization"],
    "Republican Party": ["GOP", "Republican Party"],
    "Immigration and Customs Enforcement": ["ICE", "Immigration and Customs Enforcement"],
    "Environmental Protection Agency": ["EPA", "Environmental Protection Agency"],
}
APART = [
    ("Donald Trump", "Donald Trump Jr."),
    ("Donald Trump", "Ivanka Trump"),
    ("Donald Trump", "Melania Trump"),
    ("Donald Trump", "Eric Trump"),
    ("Barack Obama", "Michelle Obama"),
    ("Hillary Clinton", "Bill Clinton"),
    ("George W. Bush", "George H.W. Bush"),
    ("Jeb Bush", "George W. Bush"),
    ("Kim Jong Un", "Kim Jong Nam"),
    ("Rand Paul", "Ron Paul"),
    ("Beto O'Rourke", "Beto"),
    ("Washington", "George Washington"),
]
VARIANTS = [
    ("default: same article first, then the corpus at 75%", 0.75, True),
    ("the corpus alone at 75%", 0.75, False),
    ("same article first, then 60%", 0.6, True),
    ("same article first, then 90%", 0.9, True),
    ("same article only (never the corpus)", 1.01, True),
]


def _intl_rows() -> list[tuple[str, str, str]]:
    path = SHARED / "intl" / "news_articles_3824.csv.gz"
    df = pd.read_csv(path, compression="gzip")
    return [
        (str(i), str(t or ""), str(x or "")) for i, t, x in zip(df["article_id"], df["title"], df["text"], strict=True)
    ]


def _demo_rows() -> list[tuple[str, str, str]]:
    from analysis.text.clean import clean_text

    path = next((ROOT / "data" / "demo").glob("*.jsonl.gz"))
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [(str(r["url"]), r.get("title") or "", clean_text(r.get("text") or "", r.get("title"))) for r in rows]


def mentions_of(name: str, rows: list[tuple[str, str, str]]) -> tuple[pd.DataFrame, dict[str, float]]:
    """The tagger's mentions of a corpus (cached under bench/.cache) and its speed."""
    from analysis.enrich.entity_tagger import EntityTagger, tag_articles
    from analysis.enrich.language import looks_english

    cache = CACHE / f"mentions-{name}-{EntityTagger.name}.parquet"
    speed = CACHE / f"mentions-{name}-{EntityTagger.name}.json"
    if cache.exists() and speed.exists():
        return pd.read_parquet(cache), json.loads(speed.read_text())
    tagger = EntityTagger()
    t = time.perf_counter()
    found = tag_articles(tagger, [r[1] for r in rows], [r[2] for r in rows], [looks_english(r[2]) for r in rows])
    dt = time.perf_counter() - t
    df = pd.DataFrame(
        [(a, m.surface, m.kind, m.count) for (a, _, _), ms in zip(rows, found, strict=True) for m in ms],
        columns=["article_id", "surface", "kind", "count"],
    )
    CACHE.mkdir(parents=True, exist_ok=True)
    df.to_parquet(cache)
    figures = {
        "articles": len(rows),
        "seconds": round(dt, 1),
        "articles_per_s": round(len(rows) / dt, 1),
        "mentions": int(df["count"].sum()),
        "mentions_per_s": round(df["count"].sum() / dt),
    }
    speed.write_text(json.dumps(figures))
    return df, figures


def score(m: pd.DataFrame, dominant: float, in_article: bool) -> dict[str, float]:
    from analysis.enrich.entity_aliases import base_name, keyed
    from analysis.enrich.entity_tagger import clean_surface

    k = keyed(m, dominant, in_article)
    forms = {clean_surface(f).lower(): g for g, fs in GOLD.items() for f in fs}
    k["gold"] = k["surface"].str.lower().map(forms)
    hit = k[k["gold"].notna()]
    right = split = 0
    for _, part in hit.groupby("gold"):
        by_key = part.groupby("key")["count"].sum()
        right += int(by_key.max())
        split += int((by_key >= max(2, 0.05 * by_key.sum())).sum() > 1)
    key_of = {base_name(s, kd).lower(): key for s, kd, key in zip(k["surface"], k["kind"], k["key"], strict=True)}
    pairs = [(a.lower(), b.lower()) for a, b in APART if a.lower() in key_of and b.lower() in key_of]
    apart = sum(key_of[a] != key_of[b] for a, b in pairs)
    return {
        "recall": round(right / max(int(hit["count"].sum()), 1), 3),
        "gold_mentions": int(hit["count"].sum()),
        "groups_split": split,
        "groups_present": int(hit["gold"].nunique()),
        "apart_kept": f"{apart}/{len(pairs)}",
    }


def differences(m: pd.DataFrame, top: int = 8) -> str:
    """What the same-article step changes against the corpus rule alone: the mentions it places elsewhere."""
    from analysis.enrich.entity_aliases import keyed

    a, b = keyed(m, 0.75, True), keyed(m, 0.75, False)
    diff = a[a["key"] != b["key"]].assign(corpus=b.loc[a["key"] != b["key"], "key"])
    by = diff.groupby(["surface", "key", "corpus"])["count"].sum().sort_values(ascending=False).head(top)
    shown = "; ".join(f"{s} -> {k} (corpus rule: {c}) x{n}" for (s, k, c), n in by.items())
    return f"the same-article step places {int(diff['count'].sum()):,} mentions differently, most often: {shown}"


def run() -> None:
    rows: list[dict[str, object]] = []
    notes = [__doc__.split("\n\n")[1].replace("\n", " ")]
    corpora = [("demo (AllSides, 7,998)", "demo", _demo_rows)]
    if (SHARED / "intl" / "news_articles_3824.csv.gz").exists():
        corpora.append(("intl (9 outlets, 3,824)", "intl", _intl_rows))
    else:
        notes.append("intl skipped: data not present")
    for label, name, load in corpora:
        m, speed = mentions_of(name, load())
        speed_note = f"{speed['articles_per_s']} articles/s, {speed['mentions_per_s']} mentions/s"
        rows.append(
            {"corpus": label, "measure": "tagger speed (headline + 90 words, one process)", "value": speed_note}
        )
        for variant, dominant, in_article in VARIANTS:
            rows.append({"corpus": label, "measure": variant, **score(m, dominant, in_article)})
        notes.append(f"{label}: " + differences(m))
    from bench.entity_devset import run_devset

    gold_rows, gold_notes = run_devset()
    report("entities", rows + gold_rows, notes + gold_notes)


if __name__ == "__main__":
    run()
