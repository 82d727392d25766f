"""The per-article models: embeddings, topics and themes, keywords, tone, summaries, tags, similarity."""
