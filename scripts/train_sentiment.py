"""Fine-tune the shipped tone classifier on NewsMTSC and save it.

Usage: python scripts/train_sentiment.py [--data PATH/TO/newsmtsc/train.jsonl] [--epochs 3] [--out PATH]

Each (sentence, target) pair of NewsMTSC is one example with its gold polarity (2 negative, 4
neutral, 6 positive). A stable 80/20 split by sentence id keeps every sentence on one side; only the
80% is used here (`python -m analysis bench sentiment` scores the shipped model on the other 20%).
The bottom three layers of all-MiniLM-L6-v2 stay as packaged (their output is computed once); the
top three layers and a linear head over mean-pooled tokens are fine-tuned with class-weighted
cross-entropy (AdamW, 10% warm-up then linear decay, batch 32). The trained layers (float16) and the
head are written to analysis/resources/tone_minilm.npz. About 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT = ROOT.parent / "shared" / "data" / "eval" / "newsmtsc" / "train.jsonl"
POLARITY = {2.0: 0, 4.0: 1, 6.0: 2}
BASE = "all-MiniLM-L6-v2"
MAX_TOKENS = 96
FROZEN = 3


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


class Trainer:
    """Top-layer fine-tuning over cached bottom-layer states."""

    def __init__(self, sentences: list[str]) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        from analysis.embeddings import model_path

        self.torch = torch
        path = model_path(BASE)
        tokenizer = AutoTokenizer.from_pretrained(path)
        self.base = AutoModel.from_pretrained(path).eval()
        enc = tokenizer(sentences, padding="max_length", truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        self.mask, self.lens = enc["attention_mask"], enc["attention_mask"].sum(1)
        self.states = torch.zeros((len(sentences), MAX_TOKENS, self.base.config.hidden_size))
        with torch.no_grad():
            for s in range(0, len(sentences), 128):
                width = int(self.lens[s : s + 128].max())
                batch = {k: v[s : s + 128, :width] for k, v in enc.items()}
                self.states[s : s + 128, :width] = self.base(**batch, output_hidden_states=True).hidden_states[FROZEN]

    def pooled(self, layers, rows):  # type: ignore[no-untyped-def]
        width = int(self.lens[rows].max())
        h, m = self.states[rows, :width], self.mask[rows, :width]
        additive = (1.0 - m[:, None, None, :].float()) * self.torch.finfo(self.torch.float32).min
        for layer in layers:
            out = layer(h, attention_mask=additive)
            h = out[0] if isinstance(out, tuple) else out
        mf = m.unsqueeze(-1).float()
        return (h * mf).sum(1) / mf.sum(1)

    def train(self, items: list[tuple[int, int]], weight, epochs: int, lr: float, seed: int):  # type: ignore[no-untyped-def]
        """Fine-tune a copy of the top layers and a head on (sentence row, label) items."""
        torch = self.torch
        torch.manual_seed(seed)
        layers = copy.deepcopy(self.base.encoder.layer[FROZEN:])
        layers.train()
        head = torch.nn.Linear(self.base.config.hidden_size, 3)
        opt = torch.optim.AdamW(
            [{"params": layers.parameters(), "lr": lr}, {"params": head.parameters(), "lr": 1e-3}], weight_decay=0.01
        )
        steps = epochs * (len(items) // 32 + 1)
        sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / (0.1 * steps)) * max(0.0, 1 - s / steps))
        rng = np.random.default_rng(seed)
        rows_all = torch.tensor([r for r, _ in items])
        labels_all = torch.tensor([c for _, c in items])
        for epoch in range(epochs):
            t, total = time.perf_counter(), 0.0
            order = rng.permutation(len(items))
            for s in range(0, len(order), 32):
                idx = torch.tensor(order[s : s + 32])
                loss = torch.nn.functional.cross_entropy(
                    head(self.pooled(layers, rows_all[idx])), labels_all[idx], weight=weight
                )
                opt.zero_grad()
                loss.backward()
                opt.step()
                sched.step()
                total += loss.item() * len(idx)
            print(f"epoch {epoch + 1}: loss {total / len(items):.3f} ({time.perf_counter() - t:.0f} s)", flush=True)
        return layers, head


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, default=None, help="where to write (default: the shipped resource)")
    args = ap.parse_args()
    if not args.data.exists():
        sys.exit(f"{args.data} not found; pass the path of NewsMTSC's train.jsonl with --data.")

    import torch

    from analysis.tone import RESOURCE

    torch.set_num_threads(2)
    t0 = time.perf_counter()
    texts, y, test = load(args.data)
    train = np.where(~test)[0]
    sentences = sorted({texts[i] for i in train})
    row = {s: i for i, s in enumerate(sentences)}
    items = [(row[texts[i]], int(y[i])) for i in train]
    trainer = Trainer(sentences)
    print(f"{len(items)} training examples ({len(sentences)} sentences); bottom layers computed in "
          f"{time.perf_counter() - t0:.0f} s", flush=True)  # fmt: skip
    weight = torch.tensor(len(train) / (3 * np.bincount(y[train], minlength=3)), dtype=torch.float32)
    layers, head = trainer.train(items, weight, args.epochs, args.lr, args.seed)
    arrays = {f"model.encoder.layer.{FROZEN + int(k.split('.', 1)[0])}.{k.split('.', 1)[1]}":
              v.detach().numpy().astype(np.float16) for k, v in layers.state_dict().items()}  # fmt: skip
    out = args.out or RESOURCE
    np.savez_compressed(
        out, **arrays, **{"head.weight": head.weight.detach().numpy(), "head.bias": head.bias.detach().numpy()},
        base=np.array(BASE), max_tokens=np.array(MAX_TOKENS), frozen=np.array(FROZEN),
        trained_on=np.array(f"NewsMTSC train.jsonl, 80% by sentence id ({len(items)} examples); "
                            f"{args.epochs} epochs, lr {args.lr}, seed {args.seed}"),
    )  # fmt: skip
    print(f"wrote {out} ({out.stat().st_size / 2**20:.1f} MiB) in {(time.perf_counter() - t0) / 60:.0f} min; "
          "held-out figures: python -m analysis bench sentiment")  # fmt: skip


if __name__ == "__main__":
    main()
