"""Embedding providers behind one small interface, chosen by settings.AI_PROVIDER.

`provider_get()` returns an object with `embed(texts) -> EmbeddingBatch`; the job never
knows which provider it talks to. The local provider is here; the OpenAI provider
(openai_provider.py, loaded by the app at start-up) registers itself with
`provider_register`.
"""
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from django.conf import settings

from tasks.errors import PermanentError

LOCAL_DIMENSIONS = 256
LOCAL_MODEL = f"local-hash-{LOCAL_DIMENSIONS}"
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class EmbeddingBatch:
    """Vectors for a batch of texts (float32, one row each) and what they cost.

    `problem` is set (and `vectors` None) when the provider was paid but its answer is
    unusable: the job records the cost, then retries.
    """

    vectors: np.ndarray | None
    model: str
    service_type: str  # the ledger's service line
    unit: str
    quantity: int
    breakdown: dict
    problem: str = ""


class EmbeddingProvider(Protocol):
    name: str
    model: str
    service_type: str  # the ledger's service of its answers (a budget may be narrowed to it)
    # Requests a job may keep in flight at once (1: call it from one thread).
    concurrency: int

    def embed(self, texts: list[str]) -> EmbeddingBatch: ...


class LocalProvider:
    """The offline provider: hashed word unigrams and bigrams, L2-normalised.

    Deterministic across processes and machines (crc32, not Python's salted hash), no key,
    no network. Labelled in the ledger as `transformer` chunks with its own model name, so
    it is never mistaken for an OpenAI result.
    """

    name = "local"
    model = LOCAL_MODEL
    service_type = "transformer"
    concurrency = 1

    def embed(self, texts: list[str]) -> EmbeddingBatch:
        vectors = np.zeros((len(texts), LOCAL_DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row] = local_vector(text)
        return EmbeddingBatch(
            vectors=vectors, model=self.model, service_type=self.service_type, unit="chunks",
            quantity=len(texts),
            breakdown={"chunks": len(texts), "embedding_model": self.model},
        )


def local_vector(text: str) -> np.ndarray:
    """The local provider's embedding of one text."""
    words = _WORDS.findall(text.lower())
    features = words + [f"{a} {b}" for a, b in zip(words, words[1:])]
    vector = np.zeros(LOCAL_DIMENSIONS, dtype=np.float32)
    if not features:
        return vector
    hashes = np.fromiter((zlib.crc32(f.encode()) for f in features), dtype=np.uint32,
                         count=len(features))
    signs = np.where(hashes & 0x80000000, -1.0, 1.0).astype(np.float32)
    np.add.at(vector, hashes % LOCAL_DIMENSIONS, signs)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def provider_register(name: str):
    """Register the function building the provider that AI_PROVIDER=`name` chooses."""
    def register(factory: Callable[[], EmbeddingProvider]):
        _FACTORIES[name] = factory
        return factory

    return register


def provider_get() -> EmbeddingProvider:
    """The provider the settings choose."""
    factory = _FACTORIES.get(settings.AI_PROVIDER)
    if factory is None:
        raise PermanentError(f"no embedding provider is registered for "
                             f"AI_PROVIDER={settings.AI_PROVIDER}")
    return factory()


_FACTORIES: dict[str, Callable[[], EmbeddingProvider]] = {"local": LocalProvider}
