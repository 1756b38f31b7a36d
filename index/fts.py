"""The keyword index's query language: the words a query keeps, safe FTS5 expressions for words
and phrases, and the SQL for metadata filters. No connection here; ``index.catalog`` runs them."""

from __future__ import annotations

import re
from typing import Any, Mapping

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


# Words that match most passages and say nothing about which one: left out of keyword
# queries (each would make SQLite rank nearly every passage of the index).
STOPWORDS = frozenset("""a about after all also am an and any are as at be been before being but by
can could did do does doing done for from had has have having he her here hers him his how i if
in into is it its just me more most my no not now of on or our out over she should so some such
than that the their them then there these they this those to too under up very was we were what
when where which while who whom why will with would you your yours""".split())


def query_words(text: str) -> list[str]:
    return list(dict.fromkeys(w for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in STOPWORDS))[:64]


def phrase_match(phrase: str, exact: bool = False) -> str:
    """An FTS5 expression for a subject of a few words: two words at most two words apart, either
    way round ('unregistered children's homes' for 'unregistered homes'); more, or ``exact``, as said;
    one word ('christmas') alone."""
    words = [w for w in _WORD.findall(phrase.lower()) if len(w) > 1 or w.isdigit()]
    if not words:
        return ""
    return f'NEAR("{words[0]}" "{words[1]}", 2)' if len(words) == 2 and not exact else '"' + " ".join(words) + '"'


def fts_query(text: str) -> str:
    """A safe FTS5 MATCH expression: the question's words OR-ed, each quoted."""
    return " OR ".join(f'"{w}"' for w in query_words(text))


def few_documents(filters: Mapping[str, Any] | None) -> list[str]:
    """The document ids of a filter that names up to 20 documents and nothing else (else [])."""
    if not filters or set(filters) != {"doc_id"}:
        return []
    ids = filters["doc_id"]
    ids = [ids] if isinstance(ids, str) else list(ids)
    return ids if len(ids) <= 20 else []


def sql_filters(filters: Mapping[str, Any] | None) -> tuple[str, list]:
    if not filters:
        return "", []
    parts, params = [], []
    for key, value in filters.items():
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", key):
            raise ValueError(f"bad filter field {key!r}")
        if key in ("doc_id", "source", "page"):
            column = f"c.{key}"
        else:
            column = f"json_extract(c.metadata, '$.{key}')"
        values = list(value) if isinstance(value, (list, tuple, set)) else [value]
        parts.append(f"{column} IN ({','.join('?' * len(values))})")
        params.extend(values)
    return " AND " + " AND ".join(parts), params
