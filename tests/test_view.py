"""The quote on its page over real HTTP (samples and a real corpus report): the page image, the
highlight rectangles against pypdfium2's own character boxes, <mark> in the text, 404s, and
the bounded image cache."""

from __future__ import annotations

import io
import re
from html import unescape

import httpx
import pytest

from conftest import SALFORD_2018, SAMPLES
from test_api import Server

PDF = "brackenford-childrens-services-2025.pdf"


@pytest.fixture(scope="module")
def server(sample_answerer, tmp_path_factory):
    from ui.app import create_app
    from ui.settings import Settings

    cache = tmp_path_factory.mktemp("view-cache")
    settings = Settings(index_dir=str(tmp_path_factory.mktemp("view-index")), rate_limit=0,
                        view_cache_dir=str(cache))
    with Server(create_app(settings, answerer=sample_answerer, mount_chat=False)) as url:
        yield url, cache


def cite(url: str, question: str) -> dict:
    return httpx.post(f"{url}/api/ask", json={"question": question}, timeout=30).json()["citations"]


def marked(page: str) -> str:
    m = re.search(r'<mark id="quote">(.*?)</mark>', page, re.S)
    return re.sub(r"\s+", " ", unescape(m.group(1))) if m else ""


def boxes(page: str) -> list[tuple[float, ...]]:
    return [tuple(float(v) for v in m) for m in re.findall(
        r'class="hl" style="left:([\d.]+)%;top:([\d.]+)%;width:([\d.]+)%;height:([\d.]+)%', page)]


def test_find_span_ignores_whitespace_and_falls_back_to_case():
    from ui.pages import find_span

    text = "Leaders  know\nthemselves well.\r\nChildren are safe."
    s, e = find_span(text, "know themselves well.")
    assert text[s:e] == "know\nthemselves well."
    s, e = find_span(text, "CHILDREN are safe.")
    assert text[s:e] == "Children are safe."
    assert find_span(text, "not here") is None and find_span(text, "  ") is None


def test_every_citation_has_a_view_that_marks_the_quote_on_its_page(server):
    url, _ = server
    for c in cite(url, "What does Brackenford need to improve?"):
        r = httpx.get(url + c["view"])
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert "script" not in r.headers["content-security-policy"]
        assert marked(r.text) == c["quote"]
        assert len(boxes(r.text)) >= 1  # highlighted on the image too
        assert "Brackenford" in r.text and "3 March 2025 to 14 March 2025" in r.text  # provider, dates
        assert 'href="/files/brackenford-childrens-services-2025.pdf#page=1">Whole report (PDF)' in r.text
        img = re.search(r'<img src="([^"]+)"', r.text).group(1)
        png = httpx.get(url + unescape(img))
        assert png.status_code == 200 and png.headers["content-type"] == "image/png"


def test_the_highlight_stands_on_the_quotes_characters(server):
    """The rectangles of the page overlap pdfium's own boxes for the quote's characters, and
    only them: none lies far from every character of the quote."""
    import pypdfium2 as pdfium

    url, _ = server
    c = next(c for c in cite(url, "What does Brackenford need to improve?") if "short-break" in c["quote"])
    page = httpx.get(url + c["view"]).text
    pdf = pdfium.PdfDocument(str(SAMPLES / PDF))
    pg = pdf[c["page"] - 1]
    w, h = pg.get_size()
    tp = pg.get_textpage()
    found = tp.search(c["quote"][:40]).get_next()
    assert found, "pdfium's own search finds the quote's opening words"
    chars = [tp.get_charbox(i) for i in range(found[0], found[0] + found[1])]
    hl = boxes(page)
    for left, bottom, right, top in chars:
        cx, cy = (left + right) / 2 / w * 100, (h - (top + bottom) / 2) / h * 100
        assert any(x <= cx <= x + bw and y <= cy <= y + bh for x, y, bw, bh in hl), (cx, cy, hl)
    assert sum(bw * bh for _, _, bw, bh in hl) / 100 < 2.0  # a few lines: under 2% of the page
    pdf.close()


def test_pages_link_to_the_previous_and_next_page_and_the_whole_pdf(server):
    url, _ = server
    middle = httpx.get(f"{url}/view/{PDF}?page=2").text
    assert f'<a rel="prev" href="/view/{PDF}?page=1">Previous page</a>' in middle
    assert f'<a rel="next" href="/view/{PDF}?page=3">Next page</a>' in middle
    assert "<span>Page 2 of 3</span>" in middle and f'href="/files/{PDF}#page=2"' in middle
    last = httpx.get(f"{url}/view/{PDF}?page=3").text
    assert 'rel="next"' not in last and 'rel="prev"' in last and "<mark" not in last  # no quote asked


def test_text_sources_show_the_passage_in_context_with_mark(server):
    url, _ = server
    for question in ("How are medicines managed at Ashdown House?", "What does Millbrook Primary School need to improve?"):
        for c in cite(url, question):
            r = httpx.get(url + c["view"])
            assert r.status_code == 200 and marked(r.text) == c["quote"], c
            assert "<img" not in r.text and "The passage in the report" in r.text


def test_pages_that_are_not_part_of_an_ingested_report_are_404(server):
    url, _ = server
    for path in ("/view/nothing.pdf?page=1", "/view/..%2Fpyproject.toml", "/view/%2Fetc%2Fpasswd",
                 f"/view/{PDF}?page=9", f"/view-image/{PDF}?page=9", "/view-image/nothing.pdf?page=1",
                 "/view-image/ashdown-house-care-home-2025.txt?page=1", f"/view-image/{PDF}?page=1&w=5000"):
        r = httpx.get(url + path)
        assert r.status_code == 404 and r.json()["error"], path


def test_page_images_are_rendered_once_then_served_from_the_cache(server, monkeypatch):
    from PIL import Image

    from ui import pages

    url, cache = server
    calls = []
    real = pages.render_png
    monkeypatch.setattr(pages, "render_png", lambda *a: calls.append(a) or real(*a))
    for width in (600, 600, 1200, 1200):
        r = httpx.get(f"{url}/view-image/{PDF}?page=2&w={width}")
        assert r.status_code == 200 and Image.open(io.BytesIO(r.content)).width == width
    assert len(calls) == 2 and len(list(cache.glob("*.png"))) >= 2


def test_the_image_cache_keeps_within_its_bound_dropping_the_least_recently_used(tmp_path):
    import os
    import time

    from ui.pages import ImageCache

    cache = ImageCache(tmp_path / "c", max_bytes=3500)
    for i in range(3):
        cache.put(f"k{i}", bytes([i]) * 1000)
        past = time.time() - 100 + i
        os.utime(cache._path(f"k{i}"), (past, past))
    assert cache.size() == 3000
    assert cache.get("k0") == bytes([0]) * 1000  # used now: the most recent
    cache.put("k3", b"x" * 1000)
    assert cache.size() == 3000
    assert cache.get("k1") is None and cache.get("k0") is not None and cache.get("k2") is not None
    cache.put("huge", b"x" * 5000)  # larger than the bound: served, never stored
    assert cache.get("huge") is None and cache.size() == 3000


@pytest.mark.corpus
def test_a_real_corpus_page_highlights_a_quote_across_lines():
    """A real report: a quote that runs over several lines gets one rectangle a line, each over
    the quote's characters as pdfium places them."""
    import pypdfium2 as pdfium

    from conftest import corpus_path
    from ingest.load import load
    from ui.pages import layout

    path = corpus_path(SALFORD_2018)
    text = load(path).pages[1]  # the page text as ingest stores it, which quotes are cut from
    sentence = max(re.split(r"(?<=\.)\s+", re.sub(r"\s+", " ", text)), key=len)
    lay = layout(path, 2, sentence)
    assert len(lay.boxes) >= 2 and lay.pages == 12
    pdf = pdfium.PdfDocument(str(path))
    pg = pdf[1]
    w, h = pg.get_size()
    tp = pg.get_textpage()

    def covered(start: int, count: int) -> bool:
        for i in range(start, start + count):
            if not tp.get_text_range(i, 1).strip():
                continue  # the line break pdfium puts between lines
            left, bottom, right, top = tp.get_charbox(i)
            cx, cy = (left + right) / 2 / w, (h - (top + bottom) / 2) / h
            if not any(x <= cx <= x + bw and y <= cy <= y + bh for x, y, bw, bh in lay.boxes):
                return False
        return True

    words = sentence.split()
    for part in (" ".join(words[:3]), " ".join(words[-3:])):
        searcher = tp.search(part)
        hits = list(iter(searcher.get_next, None))
        assert hits, part
        assert any(covered(*hit) for hit in hits), part
    pdf.close()
