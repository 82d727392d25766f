"""Stage: the tone of each article's headline and of its body's lead (English articles; others are marked)."""

from __future__ import annotations

from collections.abc import Sequence

from analysis.enrich.tone import LEAD, body_key, body_lead, headline_key, softmax
from analysis.enrich.tone_scores import tone
from analysis.pipeline.model_cache import cached_outputs
from analysis.pipeline.stages.base import Batch, Context

NOT_ENGLISH = (None, "not English", None, "not English")


class ScoreTone:
    name = "tone"
    table = "article_tone"
    columns = (
        ("headline_tone", "REAL"),
        ("headline_label", "TEXT NOT NULL"),
        ("tone", "REAL"),
        ("tone_label", "TEXT NOT NULL"),
    )
    whole = 0
    cache = False

    def version(self, ctx: Context) -> str:
        return f"{ctx.models.tone.name}/{LEAD}"

    def todo(self, ctx: Context, ids: Sequence[str]) -> list[str]:
        return ctx.store.outputs.missing(self.table, ids)

    def run(self, ctx: Context, batch: Batch) -> list[tuple[float | None, str, float | None, str]]:
        """(headline score, label, body score, label) of each article; the model's logits are cached by text."""
        clf = ctx.models.tone
        english = [i for i, en in enumerate(batch.english) if en]
        titles = [batch.titles[i] for i in english]
        bodies = [body_lead(batch.texts[i], batch.titles[i]) for i in english]
        keys = [headline_key(t) for t in titles] + [body_key(batch.hashes[i]) for i in english]
        logits, _ = cached_outputs(ctx.store, clf.name, 3, keys, titles + bodies, clf.logits)
        head_score, head_label = tone(softmax(logits[: len(english)]))
        body_score, body_label = tone(softmax(logits[len(english) :]))
        out: list[tuple[float | None, str, float | None, str]] = [NOT_ENGLISH] * len(batch)
        for k, i in enumerate(english):
            out[i] = (float(head_score[k]), str(head_label[k]), float(body_score[k]), str(body_label[k]))
        return out

    def save(self, ctx: Context, batch: Batch, out: list[tuple[float | None, str, float | None, str]]) -> None:
        ctx.store.outputs.save(
            self.table, [c for c, _ in self.columns], [(a, *row) for a, row in zip(batch.ids, out, strict=True)]
        )
