"""The quote on its page: ``/view/<source>?page=N&q=QUOTE``.

A PDF page is shown as an image (rendered on demand by ``ui.pages``, cached on disk) with the
quoted words highlighted where they stand, and the page's text below it with the quote inside
``<mark>`` (so screen readers and text search find it). HTML, DOCX and text sources show the
passage in context with the same ``<mark>``. Only ingested reports are shown: anything else is
a 404. Every piece of report text is escaped; the page runs no script.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from index.errors import InspectbotError
from index.types import Document
from index.vocab import human_date
from ingest.load import sniff
from ui import pages
from ui.pages import IMAGE_WIDTHS, ImageCache, find_span

log = logging.getLogger(__name__)

CONTEXT = 2500  # characters shown either side of a quote in a long text source
HEADERS = {"Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
                                      "base-uri 'none'; form-action 'none'",
           "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
TYPES = {"ilacs": "children's services inspection", "children_services_older": "children's services inspection",
         "area_send": "area SEND inspection", "school": "school inspection", "care_home": "care home inspection"}


class NotFound(InspectbotError):
    status = 404


def file_url(source: str, page: int | None) -> str:
    return f"/files/{quote(source)}" + (f"#page={page}" if page else "")


def view_url(source: str, page: int | None, quote_text: str = "") -> str:
    """The view of a cited page; with a quote it opens scrolled to it (``#hl``, the first
    highlight on the page image or the marked words in a text source), no script needed."""
    params = {k: v for k, v in (("page", page), ("q", quote_text)) if v}
    return f"/view/{quote(source)}" + (f"?{urlencode(params)}" if params else "") + ("#hl" if quote_text else "")


def ingested(answerer, source: str) -> tuple[Document, Path]:
    """The ingested document with this source and its file, inside the folder it was ingested
    from; anything else is NotFound."""
    for doc in answerer.documents():
        if doc.source == source and doc.root:
            root = Path(doc.root).resolve()
            path = (root / source).resolve()
            if root in path.parents and path.is_file():
                return doc, path
    raise NotFound("No ingested report has that source.")


def view_router(answerer, cache: ImageCache) -> APIRouter:
    router = APIRouter()

    @router.get("/view/{source:path}", response_class=HTMLResponse, tags=["view"])
    def view(source: str, page: int | None = Query(None, ge=1, le=100000),
             q: str = Query("", max_length=4000, description="The quoted words to mark.")):
        """A cited page with the quoted words highlighted and marked in its text."""
        doc, path = ingested(answerer, source)
        full = answerer.catalog.document(doc.doc_id)
        texts = full.pages if full else ()
        if page is not None and page > len(texts):
            raise NotFound(f"{source} has {len(texts)} page{'s' if len(texts) != 1 else ''}, not {page}.")
        with path.open("rb") as fh:
            is_pdf = sniff(fh.read(8192)) == "pdf"
        press = _press(answerer, doc, texts)
        if is_pdf:
            body = _pdf_page(doc, path, page or 1, len(texts), texts[(page or 1) - 1] if texts else "", q)
        else:
            body = _text_passage(doc, texts, page, q, "The passage in the press release" if press else "")
        title = (f"Page {page or 1} of {len(texts)}: " if is_pdf else "") + (doc.title or source)
        return HTMLResponse(_document(title, doc, body, press), headers=HEADERS)

    @router.get("/view-image/{source:path}", tags=["view"], response_class=Response,
                responses={200: {"content": {"image/png": {}}}})
    def view_image(source: str, page: int = Query(1, ge=1, le=100000),
                   w: int = Query(IMAGE_WIDTHS[-1], description=f"width in pixels: one of {IMAGE_WIDTHS}")):
        """A page of an ingested PDF as a PNG, rendered once and then served from the cache."""
        if w not in IMAGE_WIDTHS:
            raise NotFound(f"Pages are rendered {' or '.join(map(str, IMAGE_WIDTHS))} pixels wide, not {w}.")
        doc, path = ingested(answerer, source)
        key = f"{doc.content_hash}:{page}:{w}"
        data = cache.get(key)
        if data is None:
            try:
                data = pages.render_png(path, page, w)
            except IndexError as exc:
                raise NotFound(f"{source} has no page {page} ({exc}).") from exc
            except Exception as exc:  # pdfium: not a PDF, damaged since it was ingested
                log.warning("cannot render %s page %s: %s", source, page, exc)
                raise NotFound(f"{source} page {page} cannot be shown as an image.") from exc
            cache.put(key, data)
        return Response(data, media_type="image/png",
                        headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})

    return router


def _pdf_page(doc: Document, path: Path, page: int, count: int, text: str, q: str) -> str:
    try:
        lay = pages.layout(path, page, q)
    except Exception as exc:
        log.warning("cannot read %s page %s: %s", doc.source, page, exc)
        raise NotFound(f"{doc.source} page {page} cannot be shown.") from exc
    src = f"/view-image/{quote(doc.source)}?page={page}"
    srcset = ", ".join(f"{src}&amp;w={w} {w}w" for w in IMAGE_WIDTHS)
    ids = [' id="hl"'] + [""] * len(lay.boxes)  # the page opens scrolled to the first box
    boxes = "".join(
        f'<span class="hl" style="left:{x * 100:.3f}%;top:{y * 100:.3f}%;width:{w * 100:.3f}%;'
        f'height:{h * 100:.3f}%"{ids[i]}></span>' for i, (x, y, w, h) in enumerate(lay.boxes))
    nav = []
    if page > 1:
        nav.append(f'<a rel="prev" href="{html.escape(view_url(doc.source, page - 1))}">Previous page</a>')
    nav.append(f"<span>Page {page} of {count}</span>")
    if page < count:
        nav.append(f'<a rel="next" href="{html.escape(view_url(doc.source, page + 1))}">Next page</a>')
    nav.append(f'<a href="{html.escape(file_url(doc.source, page))}">Whole report (PDF)</a>')
    alt = f"Page {page} of the report as printed" + (", with the quoted words highlighted" if lay.boxes else "")
    return (f'<nav aria-label="Pages">{" ".join(nav)}</nav><main>{_quoted(q, bool(lay.boxes), text)}'
            f'<figure><div class="sheet" style="aspect-ratio:{lay.width:.2f} / {lay.height:.2f}">'
            f'<img src="{src}&amp;w={IMAGE_WIDTHS[-1]}" srcset="{srcset}" sizes="(max-width: 960px) 100vw, 900px" '
            f'alt="{html.escape(alt)}">{boxes}</div></figure>'
            f'<section aria-labelledby="text-h"><h2 id="text-h">Text of page {page}</h2>'
            f'<div class="text">{_marked(text, q, anchor=not lay.boxes)}</div></section></main>')


def _text_passage(doc: Document, texts: tuple[str, ...], page: int | None, q: str, heading: str = "") -> str:
    text = texts[page - 1] if page else "\n\n".join(texts)
    span = find_span(text, q) if q else None
    lo, hi = 0, len(text)
    if len(text) > 3 * CONTEXT:  # a long page: the passage in context, not all of it
        mid = span[0] if span else 0
        lo, hi = max(0, mid - CONTEXT), min(len(text), mid + CONTEXT)
        lo = text.rfind("\n", 0, lo) + 1 if lo else 0
        hi = (text.find("\n", hi) if text.find("\n", hi) > 0 else len(text)) if hi < len(text) else hi
    part = text[lo:hi]
    shown = ("…\n" if lo else "") + _marked(part, q, anchor=True) + ("\n…" if hi < len(text) else "")
    nav = f'<nav aria-label="Report"><a href="{html.escape(file_url(doc.source, None))}">Whole report</a></nav>'
    return (f'{nav}<main>{_quoted(q, False, part)}<section aria-labelledby="text-h">'
            f'<h2 id="text-h">{heading or "The passage in the report"}</h2><div class="text">{shown}</div></section></main>')


def _quoted(q: str, highlighted: bool, text: str) -> str:
    if not q:
        return ""
    if find_span(text, q) is None:
        return f'<p class="quoted">The quoted words were not found here: <q>{html.escape(q)}</q></p>'
    where = "highlighted on the page below and marked in its text" if highlighted else "marked in the text below"
    return (f'<p class="quoted">The quoted words are {where}: <q>{html.escape(q)}</q> '
            f'<a href="#quote">Go to them in the text</a></p>')


def _marked(text: str, q: str, anchor: bool = False) -> str:
    """The text with the quote in ``<mark id="quote">``; ``anchor``: the mark is also where
    the page opens (``#hl``)."""
    span = find_span(text, q) if q else None
    if span is None:
        return html.escape(text)
    s, e = span
    return (html.escape(text[:s]) + ('<span id="hl"></span>' if anchor else "") + '<mark id="quote">'
            + html.escape(text[s:e]) + "</mark>" + html.escape(text[e:]))


_PRESS_DATE = re.compile(r"Date published\s*(?:\w+day\s+)?(\d{1,2} (?:January|February|March|April|May|June|July|"
                         r"August|September|October|November|December) \d{4})")


def _press(answerer, doc: Document, texts: tuple[str, ...]) -> tuple[str, str] | None:
    """(council, date) for a press release (a document with no provider of its own, which
    belongs to the council its opening names), else None; either may be ''."""
    f = doc.facts
    if f.get("provider") or f.get("report_type") not in ("other", "news", None):
        return None
    opening = " ".join(texts)[:1500]
    found = answerer.find_providers(doc.title or "") or answerer.find_providers(opening)
    m = _PRESS_DATE.search(" ".join(texts))
    when = human_date(f["published"]) if f.get("published") else m.group(1) if m else ""
    return (found[0] if found else "", when)


def _document(title: str, doc: Document, body: str, press: tuple[str, str] | None = None) -> str:
    f = doc.facts
    start, end = f.get("inspection_start"), f.get("inspection_end")
    rows = [("Provider", f.get("provider")), ("Report", TYPES.get(str(f.get("report_type")), "")),
            ("Inspected", " to ".join(human_date(d) for d in dict.fromkeys(x for x in (start, end) if x))),
            ("Published", human_date(f.get("published")) if f.get("published") else "")]
    if press is not None:  # not an inspection report: whose press release it is, and when
        council, when = press
        rows = [("Council", council), ("Document", f"{council}'s press release" if council else "A press release"),
                ("Published", when)]
    facts = "".join(f"<dt>{k}</dt><dd>{html.escape(str(v))}</dd>" for k, v in rows if v)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{CSS}</style></head>
<body><header><h1>{html.escape(doc.title or doc.source)}</h1><dl>{facts}</dl></header>
{body}
</body></html>"""


CSS = """
body{margin:0;font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif;color:#111;background:#f3f4f6;line-height:1.5}
header,nav,main{max-width:900px;margin:0 auto;padding:12px 16px;box-sizing:border-box}
h1{font-size:1.3rem;margin:.2em 0}
h2{font-size:1.1rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}
dt{font-weight:600}
dd{margin:0}
nav{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;border-top:1px solid #d1d5db;border-bottom:1px solid #d1d5db}
a{color:#1e40af}
a:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.quoted q{font-style:italic}
figure{margin:0}
.sheet{position:relative;width:100%;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.3)}
.sheet img{display:block;width:100%;height:100%}
.hl{position:absolute;background:rgba(250,204,21,.45);outline:2px solid #b45309;mix-blend-mode:multiply;pointer-events:none}
#hl{scroll-margin-top:30vh}
.text{white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;padding:12px;border:1px solid #d1d5db}
mark{background:#fde047;color:#111;outline:2px solid #b45309}
"""
