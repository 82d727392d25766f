"""Article intelligence figures on the demo: tone and summary speed, summary ROUGE against the
headline, similar-news query latency at 100,000 articles, story grouping time.

ROUGE reference: no human-written summaries of these articles exist offline, so the headline (a
human-written one-line summary) is the reference; ours, the lead-3 baseline and 3 random sentences
are scored the same way. The 100,000-article index is the demo's 8,000 real vectors repeated with
small noise and shifted outlets and dates (said so in the output).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import report


def run() -> None:
    from rouge_score import rouge_scorer
    from scipy import sparse

    from analysis.enrich.embeddings import embedding_text, get_embedder
    from analysis.enrich.lexical import tfidf, word_counts
    from analysis.enrich.similarity import StoryParams, group_stories
    from analysis.enrich.summarize import candidate_sentences, lead, summarize
    from analysis.enrich.tone import ToneClassifier, body_lead
    from analysis.enrich.tone_scores import tone
    from analysis.explore.similar import similar_from_other_outlets
    from analysis.pipeline.demo import load_demo
    from analysis.pipeline.model_cache import embed_articles
    from analysis.store import Store

    rows, notes = [], []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "demo.db")
        load_demo(store)
        corpus = store.fits.corpus_frame()
        embedder = get_embedder()
        leads = [embedding_text(a, b) for a, b in zip(corpus.title, corpus.text, strict=True)]
        vecs, _ = embed_articles(store, embedder, corpus.content_hash.tolist(), leads)
        classifier = ToneClassifier()
        classifier.proba(["warm-up"])  # the ONNX export (first use) is not part of the figure
        tone_sample = corpus.sample(1000, random_state=1)
        t = time.perf_counter()
        tone(classifier.proba(tone_sample.title.fillna("").tolist()))
        tone(classifier.proba([body_lead(x, t) for x, t in zip(tone_sample.text, tone_sample.title, strict=True)]))
        secs = time.perf_counter() - t
        rows.append(
            {
                "figure": "tone (headline + 50-word body lead, classifier run)",
                "articles": len(tone_sample),
                "value": round(len(tone_sample) / secs, 1),
                "unit": "articles/s",
            }
        )
        sample = corpus.sample(2000, random_state=0)
        t = time.perf_counter()
        ours = [summarize(x, h) for x, h in zip(sample.text, sample.title, strict=True)]
        secs = time.perf_counter() - t
        rows.append(
            {"figure": "summaries", "articles": len(sample), "value": round(len(sample) / secs), "unit": "articles/s"}
        )
        rng = np.random.default_rng(0)
        baselines = {
            "ours (LexRank + lead prior, 3 sentences)": ours,
            "lead-3": [lead(x, h) for x, h in zip(sample.text, sample.title, strict=True)],
            "random 3 sentences": [
                " ".join(rng.permutation(c)[:3]) if (c := candidate_sentences(x, h)) else ""
                for x, h in zip(sample.text, sample.title, strict=True)
            ],
        }
        scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
        for name, summaries in baselines.items():
            scores = [scorer.score(h, s) for h, s in zip(sample.title, summaries, strict=True)]
            for k in ("rouge1", "rouge2", "rougeL"):
                rows.append(
                    {
                        "figure": f"ROUGE vs headline: {name}",
                        "articles": len(sample),
                        "value": round(float(np.mean([s[k].recall for s in scores])), 4),
                        "unit": f"{k} recall",
                    }
                )
        # Stories over the demo.
        published = pd.to_datetime(corpus.published, utc=True)
        days = ((published - pd.Timestamp("1970-01-01", tz="UTC")).dt.total_seconds() / 86400).to_numpy()
        t = time.perf_counter()
        counts = word_counts(corpus.title.tolist(), corpus.text.tolist())
        rows.append(
            {
                "figure": "word counts for stories (headline + 200 words), demo",
                "articles": len(corpus),
                "value": round(len(corpus) / (time.perf_counter() - t)),
                "unit": "articles/s",
            }
        )
        t = time.perf_counter()
        labels = group_stories(days, vecs, StoryParams(), lex=tfidf(counts))
        secs = time.perf_counter() - t
        rows.append(
            {
                "figure": "story grouping, demo",
                "articles": len(corpus),
                "value": round(secs, 2),
                "unit": f"s ({len(set(labels)) - 1} stories)",
            }
        )
        # 100k: the demo's vectors x 13 with noise, outlets and dates shifted per copy.
        copies = 13
        big = np.concatenate([vecs + rng.normal(0, 0.01, vecs.shape).astype(np.float32) for _ in range(copies)])
        big /= np.linalg.norm(big, axis=1, keepdims=True)
        outlets = np.concatenate([corpus.outlet.to_numpy() + f" #{c}" for c in range(copies)])
        bdays = np.concatenate([days + 400 * c for c in range(copies)])
        big, outlets, bdays = big[:100_000], outlets[:100_000], bdays[:100_000]
        lat = []
        for q in rng.choice(len(big), 300, replace=False):
            t = time.perf_counter()
            similar_from_other_outlets(int(q), big, outlets, k=8, days=bdays)
            lat.append((time.perf_counter() - t) * 1000)
        rows.append(
            {
                "figure": "similar news query, 100,000 articles (p50)",
                "articles": len(big),
                "value": round(float(np.percentile(lat, 50)), 1),
                "unit": "ms",
            }
        )
        rows.append(
            {
                "figure": "similar news query, 100,000 articles (p95)",
                "articles": len(big),
                "value": round(float(np.percentile(lat, 95)), 1),
                "unit": "ms",
            }
        )
        big_counts = sparse.vstack([counts] * copies).tocsr()[:100_000]
        t = time.perf_counter()
        labels = group_stories(bdays, big, StoryParams(), lex=tfidf(big_counts))
        secs = time.perf_counter() - t
        rows.append(
            {"figure": "story grouping, 100,000 articles", "articles": len(big), "value": round(secs, 1), "unit": "s"}
        )
        notes.append(
            "100k rows: the demo's real vectors repeated 13x with noise (sd 0.01), outlets and dates shifted;"
            " their word counts repeated as they are"
        )
        store.close()
    report("intel", rows, notes)


if __name__ == "__main__":
    run()
