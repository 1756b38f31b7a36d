"""Structure-aware chunks: numbered paragraphs, bullets and headings kept together.

A chunk is an exact slice ``page_text[start:end]`` of one page, so a quote cut from it is
verbatim. Each knows its section heading. Paragraphs longer than a chunk are split at sentence
boundaries by LangChain's recursive splitter.
"""

from __future__ import annotations

import hashlib
import re
from typing import Iterable, Mapping

from index.types import Chunk, MetaValue
from ingest.load import BULLETS

MAX_CHARS = 1000  # about 220 words: inside all-MiniLM-L6-v2's 256-token window
MIN_CHARS = 200

_PARA_START = re.compile(rf"^\s*(?:\d{{1,3}}\.\s|[{BULLETS}]\s?|\(?[a-z]\)\s)")
_HEADING = re.compile(r"^[A-Z][A-Za-z0-9’'(),:&/ -]{3,110}$")
_GRADED_HEADING = re.compile(
    r"^[A-Z][^.\n]{10,160}:\s*(?:Outstanding|Good|Requires improvement(?: to be good)?|Inadequate)\s*$")


def chunk_id(doc_id: str, page: int | None, start: int, end: int) -> str:
    return hashlib.sha1(f"{doc_id}:{page}:{start}:{end}".encode()).hexdigest()[:24]


def _lines(text: str) -> Iterable[tuple[int, int, str]]:
    pos = 0
    for line in text.split("\n"):
        yield pos, pos + len(line), line
        pos += len(line) + 1


def _is_heading(line: str, prev: str, nxt: str) -> bool:
    s = line.strip()
    if not _HEADING.match(s) or s.endswith((",", ";")) or len(s.split()) > 16:
        return False
    if prev.strip() and not prev.rstrip().endswith((".", ":", "?", "!")) and not _is_short(prev):
        return False  # the tail of a wrapped sentence
    return not nxt.strip() or nxt.lstrip()[:1].isupper() or bool(_PARA_START.match(nxt))


def _is_short(line: str) -> bool:
    return len(line.strip()) < 60 and not line.rstrip().endswith((",", " and", " of", " the"))


def _norm_line(line: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", line)).strip().lower()


def running_lines(pages: tuple[str, ...] | list[str]) -> frozenset[str]:
    """Running headers and footers: lines (numbers ignored) repeated on many pages."""
    if len(pages) < 4:
        return frozenset()
    seen: dict[str, int] = {}
    for page in pages:
        for line in {_norm_line(x) for x in page.split("\n") if len(x.strip()) > 8}:
            seen[line] = seen.get(line, 0) + 1
    need = max(3, int(0.3 * len(pages)))
    return frozenset(line for line, n in seen.items() if n >= need)


def blocks(text: str, skip: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """``(start, end, heading)`` of each paragraph-like block of a page; ``skip`` lines
    (running headers and footers) end a block and belong to none."""
    lines = list(_lines(text))
    out: list[tuple[int, int, str]] = []
    heading = ""
    cur: list[int] | None = None
    for i, (s, e, line) in enumerate(lines):
        prev = lines[i - 1][2] if i else ""
        nxt = lines[i + 1][2] if i + 1 < len(lines) else ""
        if not line.strip() or (skip and _norm_line(line) in skip):
            if cur:
                out.append((cur[0], cur[1], heading))
                cur = None
            continue
        if re.fullmatch(r"\s*\d{1,3}\s*", line):  # a page number
            continue
        two = f"{line.strip()} {nxt.strip()}"
        if _GRADED_HEADING.match(two) and not _GRADED_HEADING.match(line.strip()):
            if cur:
                out.append((cur[0], cur[1], heading))
            heading = two
            cur = [s, lines[i + 1][1]]
            lines[i + 1] = (lines[i + 1][0], lines[i + 1][1], "")
            continue
        if _is_heading(line, prev, nxt) or _GRADED_HEADING.match(line.strip()):
            if cur:
                out.append((cur[0], cur[1], heading))
            heading = line.strip()
            cur = [s, e]
            continue
        if cur is None or _PARA_START.match(line):
            if cur:
                out.append((cur[0], cur[1], heading))
            cur = [s, e]
        else:
            cur[1] = e
    if cur:
        out.append((cur[0], cur[1], heading))
    return out


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=MAX_CHARS, chunk_overlap=0, add_start_index=True,
        separators=["\n\n", ". ", "; ", "\n", ", ", " ", ""], keep_separator="end",
    )
    spans = []
    for d in splitter.create_documents([text[start:end]]):
        s = start + d.metadata["start_index"]
        spans.append((s, s + len(d.page_content)))
    return spans


def chunk_page(text: str, skip: frozenset[str] = frozenset()) -> list[tuple[int, int, str]]:
    """Pack a page's blocks into ``(start, end, section)`` spans of up to MAX_CHARS."""
    spans: list[tuple[int, int, str]] = []
    cur: list | None = None
    for s, e, heading in blocks(text, skip):
        if cur and skip and any(_norm_line(x) in skip for x in text[cur[1]:s].split("\n") if x.strip()):
            spans.append(tuple(cur))  # never pack across a running header
            cur = None
        if e - s > MAX_CHARS:
            if cur:
                spans.append(tuple(cur))
                cur = None
            spans.extend((a, b, heading) for a, b in _split_long(text, s, e))
            continue
        if cur and (e - cur[0] <= MAX_CHARS and (heading == cur[2] or cur[1] - cur[0] < MIN_CHARS)):
            cur[1] = e
        else:
            if cur:
                spans.append(tuple(cur))
            cur = [s, e, heading]
    if cur:
        spans.append(tuple(cur))
    return [(s, e, h) for s, e, h in spans if text[s:e].strip()]


def chunk_document(doc_id: str, source: str, pages: tuple[str, ...], paged: bool,
                   metadata: Mapping[str, MetaValue]) -> list[Chunk]:
    chunks: list[Chunk] = []
    section = ""
    skip = running_lines(pages) if paged else frozenset()
    for number, text in enumerate(pages, 1):
        page = number if paged else None
        for s, e, heading in chunk_page(text, skip):
            section = heading or section
            # trim whitespace at the edges so the offsets frame the passage exactly
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            chunks.append(Chunk(
                id=chunk_id(doc_id, page, s, e), doc_id=doc_id, source=source, text=text[s:e],
                page=page, page_end=page, start=s, end=e, section=section,
                metadata=dict(metadata),
            ))
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees: the passage with its provider, year and section, so that
    near-identical wording in two councils' reports still lands in different places. (The
    report type is left out: it is the same for most reports, costs embedding time, and is a
    metadata filter anyway.)"""
    m = chunk.metadata
    who = " ".join(str(m[k]) for k in ("provider", "year") if m.get(k))
    return f"{who}. {chunk.section}\n{chunk.text}" if who else f"{chunk.section}\n{chunk.text}"
