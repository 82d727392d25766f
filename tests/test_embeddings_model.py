"""The real embedding model, loaded offline from its PyPI package (no download)."""

import numpy as np

from analysis.embeddings import SentenceTransformerEmbedder, embedding_text


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
