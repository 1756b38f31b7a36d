"""Question -> retrieval -> answer with citations, refusal, follow-ups. No HTML, no UI types."""
