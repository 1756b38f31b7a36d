"""How long the quote-on-its-page view takes on real corpus pages, over real HTTP: the HTML
(the quote found among the page's characters and highlighted) and the page image, rendered
cold (an empty image cache) and then served from the cache.

    .venv/bin/python bench/view.py [--index DIR] [--corpus DIR] [--files 8] [--pages 40]

With ``--index`` it uses an index of the corpus already built; otherwise it ingests ``--files``
PDFs of the corpus into a temporary index first (not timed).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, SHARED, pct

sys.path.insert(0, str(ROOT / "tests"))  # the loopback server helper of the API tests


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", help="an index of the corpus (default: ingest --files PDFs into a temporary one)")
    ap.add_argument("--corpus", default=str(SHARED / "corpus"))
    ap.add_argument("--files", type=int, default=8)
    ap.add_argument("--pages", type=int, default=40)
    args = ap.parse_args()

    import httpx

    from bot.extractive import clean_quote
    from test_api import Server
    from ui.app import create_app
    from ui.settings import Settings, build

    random.seed(0)
    work = Path(tempfile.mkdtemp(prefix="inspectbot-view-bench-"))
    try:
        index_dir = args.index or str(work / "index")
        if not args.index:
            from ingest.sync import sync

            pdfs = sorted(p for p in Path(args.corpus).rglob("*.pdf") if p.stat().st_size > 50_000)
            chosen = random.sample(pdfs, min(args.files, len(pdfs)))
            folder = work / "reports"
            for p in chosen:  # a copy of each, sources relative to one folder as in the corpus
                dst = folder / p.relative_to(args.corpus)
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(p, dst)
            t = time.perf_counter()
            index, _ = build(Settings(index_dir=index_dir))
            summary = sync(index, [folder], workers=0, progress=False)
            print(f"ingested {len(chosen)} corpus PDFs ({summary.lines()[0]}) in {time.perf_counter() - t:.0f} s (not timed below)")
        settings = Settings(index_dir=index_dir, rate_limit=0, view_cache_dir=str(work / "cache"))
        _, answerer = build(settings)
        urls = citations(answerer, args.pages, clean_quote)
        print(f"{len(urls)} pages of {len({u.split('?')[0] for u in urls})} reports, "
              f"a real sentence of each page as the quote")
        app = create_app(settings, answerer=answerer, mount_chat=False)
        with Server(app) as base, httpx.Client(base_url=base, timeout=60) as client:
            runs = {"cold": [], "cached": []}
            for run in runs:
                for url in urls:
                    runs[run].append(view(client, url))
        for run, rows in runs.items():
            html, image, total = zip(*[(h, i, h + i) for h, i, _, _ in rows])
            print(f"{run:>6}: page view (HTML + image) p50 {statistics.median(total):.0f} ms, "
                  f"p95 {pct(total, 0.95):.0f} ms | HTML with highlight p50 {statistics.median(html):.1f} ms, "
                  f"p95 {pct(html, 0.95):.1f} ms | image p50 {statistics.median(image):.1f} ms, "
                  f"p95 {pct(image, 0.95):.1f} ms")
        rows = runs["cold"]
        found = sum(1 for *_, boxes in rows if boxes)
        size = [b for _, _, b, _ in rows]
        print(f"quote highlighted on {found}/{len(rows)} pages; image {statistics.median(size) / 1024:.0f} KB "
              f"median (1200 px wide); cache {sum(f.stat().st_size for f in (work / 'cache').glob('*.png')) / 2**20:.1f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def citations(answerer, n: int, clean_quote) -> list[str]:
    """View URLs of ``n`` pages of ingested PDFs, each with a sentence of its own as the quote."""
    from ui.view import view_url

    pages = []
    for doc in answerer.documents():
        if not doc.source.lower().endswith(".pdf"):
            continue
        for chunk in answerer.catalog.doc_chunks(doc.doc_id):
            sentence = re.split(r"(?<=[.!?])\s+", clean_quote(chunk.text))[0]
            if chunk.page and len(sentence) > 60:
                pages.append((doc.source, chunk.page, sentence))
    by_page = {(s, p): q for s, p, q in pages}  # one quote a page
    picked = random.sample(sorted(by_page), min(n, len(by_page)))
    return [view_url(s, p, by_page[(s, p)]) for s, p in picked]


def view(client, url: str) -> tuple[float, float, int, int]:
    """(HTML ms, image ms, image bytes, highlight boxes) of one page view, as a browser asks."""
    t = time.perf_counter()
    r = client.get(url)
    html_ms = (time.perf_counter() - t) * 1000
    r.raise_for_status()
    img = re.search(r'<img src="([^"]+)"', r.text).group(1).replace("&amp;", "&")
    t = time.perf_counter()
    png = client.get(img)
    image_ms = (time.perf_counter() - t) * 1000
    png.raise_for_status()
    return html_ms, image_ms, len(png.content), r.text.count('class="hl"')


if __name__ == "__main__":
    main()
