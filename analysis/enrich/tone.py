"""The tone classifier: all-MiniLM-L6-v2 with its top layers trained on NewsMTSC, on ONNX Runtime.

scripts/train_sentiment.py trains the top transformer layers and a three-way head (negative,
neutral, positive) on NewsMTSC's news sentences and on unlabeled news sentences labelled by a
fine-tuned MPNet teacher; only those weights ship, as float16, in
analysis/resources/tone_minilm.npz, the rest is the packaged MiniLM. On first use the combined model
is exported to ONNX in the model cache (a few seconds, once); a process then needs no torch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from analysis.config import settings
from analysis.enrich.embeddings import OnnxTextModel, export_onnx, model_path
from analysis.enrich.summarize import story_text

RESOURCE = Path(__file__).resolve().parent.parent / "resources" / "tone_minilm.npz"
BODY_WORDS = 50  # a body's tone is read from its lead, about its first two or three sentences
# what the lead is read from: the story's own words (captions, credits, bylines and datelines left out). A photo
# caption opening the body ("Attendees illuminate their phones during a vigil ...") gave a shooting story the
# caption's tone; issue 31 read the 50 most confident, least plausible tones of the demo and found that cause.
LEAD = "story-words"


def resource_key(path: Path = RESOURCE) -> str:
    """Short hash of the shipped weights: names the ONNX file and the cache namespace."""
    return hashlib.sha1(path.read_bytes()).hexdigest()[:10]


def headline_key(title: str) -> str:
    """Cache key of a headline's tone: its text, lower-cased."""
    return hashlib.sha1(("headline\n" + (title or "").strip().lower()).encode()).hexdigest()


def body_key(content_hash: str) -> str:
    """Cache key of a body's tone: its content hash and the lead length it was read from."""
    return hashlib.sha1(f"body{BODY_WORDS}/{LEAD}\n{content_hash}".encode()).hexdigest()


def body_lead(text: str, title: str | None = None, words: int = BODY_WORDS) -> str:
    """The first `words` words of an article's own text (analysis.enrich.summarize.story_text), the text its tone
    is read from; the body's first words when nothing is left."""
    own = story_text(str(text or ""), title).split() or str(text or "").split()
    return " ".join(own[:words])


class ToneClassifier:
    """Class probabilities (negative, neutral, positive) for short texts."""

    def __init__(self, path: Path = RESOURCE, batch_size: int | None = None) -> None:
        self.path = path
        self.key = resource_key(path)
        self.name = f"tone-{self.key}"  # cache namespace in the embeddings table
        with np.load(path) as d:
            self.base = str(d["base"])
            self.max_tokens = int(d["max_tokens"])
        self.batch_size = batch_size or settings().embed_batch

    @cached_property
    def runner(self) -> OnnxTextModel:
        target = settings().model_cache / f"{self.name}.onnx"
        if not target.exists():
            export_onnx(build_module(self.path), target, "logits", per_token=False)
        return OnnxTextModel(model_path(self.base), target, self.max_tokens, self.batch_size)

    def logits(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), 3), dtype=np.float32)
        if len(texts):
            for idx, logits, _ in self.runner.batches(texts, progress):
                out[idx] = logits
        return out

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        return softmax(self.logits(texts))


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def build_module(path: Path = RESOURCE):
    """The torch classifier: the packaged MiniLM with the shipped layers and head loaded on top."""
    import torch
    from transformers import AutoModel

    with np.load(path) as d:
        base = str(d["base"])
        state = {
            k.removeprefix("model."): torch.from_numpy(d[k].astype(np.float32))
            for k in d.files
            if k.startswith("model.")
        }
        weight = torch.from_numpy(d["head.weight"].astype(np.float32))
        bias = torch.from_numpy(d["head.bias"].astype(np.float32))
    model = AutoModel.from_pretrained(model_path(base)).eval()
    unexpected = model.load_state_dict(state, strict=False).unexpected_keys
    if unexpected:
        raise ValueError(f"{path.name} has weights the base model lacks: {unexpected[:3]}")
    head = torch.nn.Linear(weight.shape[1], weight.shape[0])
    head.weight.data, head.bias.data = weight, bias

    class Classifier(torch.nn.Module):
        """Mean pooling of the last hidden state, then the linear head: logits."""

        def __init__(self) -> None:
            super().__init__()
            self.model, self.head = model, head

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return self.head((hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9))

    return Classifier().eval()
