"""Text quality of summaries and tags: counts of each defect kind a reader notices, on the demo and on 400
articles outside it (200 from the full AllSides file, 200 from the international corpus; summaries and tags made
by the same code the pipeline runs, tags weighed against their own corpus).

Summary defects: a dateline marker kept ("(CNN)", "WASHINGTON (Reuters) -"), a sentence from an
embedded tweet (a handle, pic.twitter.com), a quotation mark left open, the headline run into the
first sentence, the same quotation twice, a photo caption as the first sentence ("Brian Kemp reacts after
appearing at his election night party"), a related-link insert ("Kanye West says he's running for
president:There is no evidence", "READ MORE:"), two sentences glued without a full stop ("... by Trump On
Thursday, the ..."). Tag defects: a cut word (a tag word that is not a whole word of the article, such as
"United Sta"), an adverb ("Strongly"), a fragment with a pronoun ("Run I'm"), an honorific or party tag
("Democrats Sen", "Blumenthal D-Conn"), a state abbreviation ("Calif"). The "before" columns are this script's
output before the causes were fixed (bench/results/text_quality_before*.json).
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


CAPTION = re.compile(
    r"^(?:[A-Z][\w.'’-]*\s){1,6}(?:reacts|poses|speaks|looks on|gestures|arrives|waves|listens|walks|stands|sits|"
    r"smiles|holds|attends|delivers|addresses|departs|leaves|greets|shakes|is seen|are seen|pauses|testifies|"
    r"participates|kneels|prays|marches|rallies|wears)\b"
)
INSERT = re.compile(r"[a-z0-9'’)][:][A-Z]|\b(?:READ MORE|RELATED|Related|Read more|WATCH|LISTEN)\s*:")
GLUED = re.compile(
    r"(?<=[a-z0-9’'])\s(?:On|In|The|But|And|As|At|After|When|While|It|He|She|They|This|That|Last|Earlier|"
    r"Meanwhile|However)\s(?=[a-z]|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
)
PRONOUN = re.compile(r"\b(?:I|I'm|I’m|I've|I'd|We're|We|You|You're|He's|She's|It's|They're|Me|My)\b")
HONORIFIC = re.compile(r"\b(?:Sen|Rep|Gov|Mr|Mrs|Ms|Dr|Sens|Reps)\b\.?|\b[DRI]-[A-Z][a-z]+\b")
STATE_ABBREV = re.compile(
    r"\b(?:Ala|Ariz|Ark|Calif|Colo|Conn|Del|Fla|Ga|Ill|Ind|Kan|Ky|La|Md|Mass|Mich|Minn|Miss|Mo|Mont|Neb|Nev|"
    r"Okla|Ore|Pa|Tenn|Vt|Va|Wash|Wis|Wyo)\b\.?$"
)


def caption_first(summary: str) -> bool:
    """The summary opens with a photo caption: a name, then a caption verb in the present ("reacts", "speaks")."""
    first = re.split(r"(?<=[.!?])\s+", summary.strip(), maxsplit=1)[0]
    return bool(CAPTION.match(first))


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
        out["summary: caption as the first sentence"] += caption_first(summary)
        out["summary: related-link insert"] += bool(INSERT.search(summary))
        out["summary: sentences glued without a stop"] += bool(GLUED.search(summary))
        out["tags: fragment with a pronoun"] += any(PRONOUN.search(t) for t in tag_list)
        out["tags: honorific or party tag"] += any(HONORIFIC.search(t) for t in tag_list)
        out["tags: state abbreviation"] += any(STATE_ABBREV.search(t) for t in tag_list)
    return dict(out)


KINDS = (
    "summary: dateline marker",
    "summary: embedded tweet",
    "summary: quotation left open",
    "summary: headline run into the first sentence",
    "summary: the same quotation twice",
    "summary: caption as the first sentence",
    "summary: related-link insert",
    "summary: sentences glued without a stop",
    "tags: cut word",
    "tags: adverb",
    "tags: fragment with a pronoun",
    "tags: honorific or party tag",
    "tags: state abbreviation",
)


def _outside(n: int = 200) -> list[dict[str, str]]:
    """n articles from the full AllSides file that are not in the demo, and n from the international corpus."""
    import csv

    from bench.common import ALLSIDES, SHARED

    intl = SHARED / "intl" / "news_articles_3824.csv.gz"
    if not ALLSIDES.exists() or not intl.exists():
        return []
    demo = {r["url"] for r in _demo()}
    rng = random.Random(311)
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as fh:
        alls = [r for r in map(json.loads, fh) if r.get("url") not in demo and len((r.get("text") or "").split()) > 80]
    with gzip.open(intl, "rt", encoding="utf-8") as fh:
        other = [r for r in csv.DictReader(fh) if len((r.get("text") or "").split()) > 80]
    return rng.sample(alls, n) + rng.sample(other, n)


def measure(rows: list[dict[str, str]]) -> dict[str, int]:
    from analysis.enrich.summarize import summarize
    from analysis.enrich.tags import tag_documents

    titles = [r.get("title") or "" for r in rows]
    texts = [r.get("text") or "" for r in rows]
    tags_all, _ = tag_documents(titles, texts)
    vocab: set[str] = set()
    for t in texts:
        vocab.update(re.findall(r"[a-z][a-z'\-]*", t.lower()))
    summaries = [summarize(x, h) for x, h in zip(texts, titles, strict=True)]
    return defects(summaries, tags_all, titles, texts, vocab)


def _demo() -> list[dict[str, str]]:
    path = next((ROOT / "data" / "demo").glob("allsides-demo-*.jsonl.gz"))
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def run() -> None:
    import os

    demo = _demo()
    outside = _outside()
    found = {"demo": measure(demo)}
    if outside:
        found["outside"] = measure(outside)
    before: dict[str, dict[str, object]] = {}
    for name in ("demo", "outside"):
        path = RESULTS / ("text_quality_before_31.json" if name == "demo" else "text_quality_before_outside.json")
        if not path.exists() and name == "demo":
            path = RESULTS / "text_quality_before.json"  # the older record, commit 64a524f
        if path.exists():
            before[name] = {r["defect"]: r.get("after", r.get(name, "")) for r in json.loads(path.read_text())["rows"]}
    table = []
    for k in KINDS:
        row: dict[str, object] = {"defect": k}
        for name in found:
            row[f"{name} before"] = before.get(name, {}).get(k, "")
            row[name] = found[name].get(k, 0)
        table.append(row)
    notes = [
        f"demo: {len(demo):,} articles (every one); outside: {len(outside)} articles not in the demo (200 AllSides,"
        " 200 international), seed 311"
        if outside
        else "outside the demo: skipped, data not present",
        "before: this script at commit 7d87c96, before issue 31's fixes to summaries and tags (earlier fixes:"
        " bench/results/text_quality_before.json, commit 64a524f)",
    ]
    if os.environ.get("BENCH_TEXT_BEFORE"):  # record this run as the "before" of later runs
        for name, path in (("demo", "text_quality_before_31.json"), ("outside", "text_quality_before_outside.json")):
            if name in found:
                (RESULTS / path).write_text(
                    json.dumps({"rows": [{"defect": k, "after": found[name].get(k, 0)} for k in KINDS]}, indent=2)
                )
    report("text_quality", table, notes)


if __name__ == "__main__":
    run()
