"""The store and its contract: Chunk/Hit types, embedder, Chroma collection, keyword index,
hybrid retriever. ``ingest`` writes to it; ``bot`` reads from it."""

from index.errors import InspectbotError

__all__ = ["InspectbotError"]
