"""Text quality of summaries and tags: counts of each defect kind a reader notices, over a seeded sample
of demo articles (summaries and tags made by the same code the pipeline runs).

Summary defects: a dateline marker kept ("(CNN)", "WASHINGTON (Reuters) -"), a sentence from an
embedded tweet (a handle, pic.twitter.com), a quotation mark left open, the headline run into the
first sentence, the same quotation twice. Tag defects: a cut word (a tag word that is not a whole word
of the article, such as "United Sta"), an adverb ("Strongly"). The "before" column is this script's
output at commit 64a524f, before the causes were fixed (bench/results/text_quality_before.json).
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections import Counter
from collections.abc import Sequence

from bench.common import RESULTS, ROOT, report

SAMPLE = 8000  # the whole demo corpus (7,998 articles)
# A dateline at the start of a sentence: "WASHINGTON (Reuters) - ...", "Washington (CNN) President ...",
# "NEW YORK — ..." (a citation such as '... a day" (CNN) or ...' is not one).
DATELINE = re.compile(
    r"(?:^|(?<=[.!?”\"]\s))(?:[A-Z][A-Za-z.,'/ -]{0,60}\s)?\((?:CNN|AP|Reuters|AFP|UPI)\)(?:\s*[-—–]|\s+[A-Z])"
    r"|(?:^|(?<=[.!?]\s))[A-Z][A-Z.'/-]+(?: [A-Z][A-Z.'/-]+){0,3}(?:, [A-Z][A-Za-z.]+)?\s+[—–-]{1,2}\s"
)
TWEET = re.compile(r"pic\.twitter\.com|twitter\.com/|\(@\w{2,}\)|—\s*[^.]{0,60}\(@\w+\)|^@\w+|\s@\w{3,}\b.*\d{4}$")
QUOTES = (("“", "”"),)


def open_quote(text: str) -> bool:
    """A quotation left open (or closed without opening) in the summary: an odd number of double
    quotation marks once curly and straight ones are counted alike (sources mix them)."""
    return sum(text.count(q) for q in '"“”„«»') % 2 == 1


def headline_run_in(summary: str, title: str) -> bool:
    """The summary starts with the headline glued to what follows (no full stop between), as when a page's
    headline and subheading were extracted as the first line of the text."""
    t, s = title.strip().rstrip(".!?"), summary.strip()
    if len(t.split()) < 4 or not s.lower().startswith(t.lower()):
        return False
    rest = s[len(t) :]
    return bool(re.match(r"\s+[“\"‘'(]?[A-Z0-9]", rest))


def quote_twice(summary: str) -> bool:
    """The same quotation (4+ words) appears twice, or the same sentence does."""
    found = re.findall(r"[“\"]([^”\"]{15,})[”\"]", summary)
    quotes = [re.sub(r"\W+", " ", q).strip().lower() for q in found if len(q.split()) >= 4]
    if any(n > 1 for n in Counter(quotes).values()):
        return True
    sents = [s.strip().lower() for s in re.split(r"(?<=[.!?])\s+", summary) if len(s.split()) >= 6]
    return any(n > 1 for n in Counter(sents).values())


def cut_word(tag: str, words: set[str]) -> bool:
    """A tag with a word the article does not contain as a whole word ("United Sta", "Den")."""
    return any(w.lower() not in words for w in re.findall(r"[A-Za-z]+", tag))


def adverb(tag: str, vocab: set[str]) -> bool:
    """A one-word tag that is an adverb made from another word of the corpus (strongly <- strong)."""
    w = tag.lower()
    if " " in w or not w.endswith("ly") or len(w) < 6:
        return False
    stems = {w[:-2], w[:-2] + "e", w[:-3] + "y", w[:-4] + "le" if w.endswith("ally") else w[:-2]}
    if w.endswith("ally"):
        stems.add(w[:-4])
    return bool(stems & vocab)


def defects(
    summaries: Sequence[str],
    tags: Sequence[Sequence[str]],
    titles: Sequence[str],
    texts: Sequence[str],
    vocab: set[str],
) -> dict[str, int]:
    """How many articles of the sample show each defect kind."""
    out = Counter()
    for summary, tag_list, title, text in zip(summaries, tags, titles, texts, strict=True):
        words = set(re.findall(r"[a-z]+", f"{title} {text}".lower()))
        out["summary: dateline marker"] += bool(DATELINE.search(summary))
        out["summary: embedded tweet"] += any(TWEET.search(s) for s in re.split(r"(?<=[.!?])\s+", summary))
        out["summary: quotation left open"] += open_quote(summary)
        out["summary: headline run into the first sentence"] += headline_run_in(summary, title)
        out["summary: the same quotation twice"] += quote_twice(summary)
        out["tags: cut word"] += any(cut_word(t, words) for t in tag_list)
        out["tags: adverb"] += any(adverb(t, vocab) for t in tag_list)
    return dict(out)


def _demo() -> list[dict[str, str]]:
    path = next((ROOT / "data" / "demo").glob("allsides-demo-*.jsonl.gz"))
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def run() -> None:
    from analysis.enrich.summarize import summarize
    from analysis.enrich.tags import tag_documents

    rows = _demo()
    titles = [r.get("title") or "" for r in rows]
    texts = [r.get("text") or "" for r in rows]
    tags_all, _ = tag_documents(titles, texts)
    vocab = set()
    for t in texts:
        vocab.update(re.findall(r"[a-z][a-z'\-]*", t.lower()))
    pick = sorted(random.Random(0).sample(range(len(rows)), min(SAMPLE, len(rows))))
    summaries = [summarize(texts[i], titles[i]) for i in pick]
    after = defects(summaries, [tags_all[i] for i in pick], [titles[i] for i in pick], [texts[i] for i in pick], vocab)
    before_path = RESULTS / "text_quality_before.json"
    before = {}
    if before_path.exists():
        before = {r["defect"]: r["after"] for r in json.loads(before_path.read_text())["rows"]}
    table = [
        {"defect": k, "before": before.get(k, ""), "after": after.get(k, 0), "articles": len(pick)}
        for k in (
            "summary: dateline marker",
            "summary: embedded tweet",
            "summary: quotation left open",
            "summary: headline run into the first sentence",
            "summary: the same quotation twice",
            "tags: cut word",
            "tags: adverb",
        )
    ]
    notes = [
        f"{len(pick):,} demo articles (every one); tags use the whole demo corpus, as the pipeline does",
        "before: this script at commit 64a524f",
    ]
    report("text_quality", table, notes)


if __name__ == "__main__":
    run()
