"""The real embedding model, loaded offline from its PyPI package (no download)."""

import numpy as np

from analysis.enrich.embeddings import (
    MeanPoolingEmbedder,
    OnnxEmbedder,
    SentenceTransformerEmbedder,
    embedding_text,
    get_embedder,
    is_mean_pooling_model,
    model_path,
)

SENTENCES = [
    "Hurricane makes landfall on the Gulf coast, thousands evacuate",
    "Storm surge floods coastal towns as the hurricane arrives",
    "Senate passes the annual defense spending bill",
    "A much longer sentence about the budget negotiations in Congress that drags on and on " * 8,
    "  padded  ",
]


def test_minilm_loads_offline_and_embeds(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    emb = SentenceTransformerEmbedder("all-MiniLM-L6-v2")
    vecs = emb.encode(
        [
            "Hurricane makes landfall on the Gulf coast, thousands evacuate",
            "Storm surge floods coastal towns as the hurricane arrives",
            "Senate passes the annual defense spending bill",
        ]
    )
    assert vecs.shape == (3, 384) and emb.dim == 384
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.2


def test_embedding_text_is_headline_and_lead():
    body = " ".join(f"w{i}" for i in range(200))
    text = embedding_text("Big news", body, lead_words=5)
    assert text == "Big news. w0 w1 w2 w3 w4"


def test_fast_path_gives_the_same_vectors_as_sentence_transformers(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    assert is_mean_pooling_model(model_path("all-MiniLM-L6-v2"))
    assert isinstance(get_embedder("all-MiniLM-L6-v2"), OnnxEmbedder)  # the default runtime
    fast = MeanPoolingEmbedder("all-MiniLM-L6-v2").encode(SENTENCES)
    reference = SentenceTransformerEmbedder("all-MiniLM-L6-v2").encode(SENTENCES)
    assert np.abs(fast - reference).max() < 1e-5


def test_other_folders_use_sentence_transformers(tmp_path):
    (tmp_path / "modules.json").write_text('[{"type": "sentence_transformers.models.Transformer"}]')
    assert not is_mean_pooling_model(str(tmp_path))


def test_onnx_runtime_gives_the_same_vectors(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("NEWS_MODEL_CACHE", str(tmp_path))
    onnx = OnnxEmbedder("all-MiniLM-L6-v2")
    assert list(tmp_path.glob("*.onnx"))  # exported once into the model cache
    reference = MeanPoolingEmbedder("all-MiniLM-L6-v2")
    assert np.abs(onnx.encode(SENTENCES) - reference.encode(SENTENCES)).max() < 1e-5
    assert onnx.count_tokens(SENTENCES[:3]) == reference.count_tokens(SENTENCES[:3])
