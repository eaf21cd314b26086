"""Embeddings: local and OpenAI providers, memory, and search at 100,000 chunks."""
