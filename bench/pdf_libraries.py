"""Compare PDF text extractors on the real corpus: speed and two-column reading order.

    .venv/bin/python bench/pdf_libraries.py [CORPUS] [N_FILES]

Needs pymupdf and pdfplumber installed beside pypdfium2 (they are not dependencies).
"""

from __future__ import annotations

import glob
import random
import sys
import time
from pathlib import Path


def pdfium(path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    out = [pdf[i].get_textpage().get_text_bounded() for i in range(len(pdf))]
    pdf.close()
    return out


def mupdf(path):
    import pymupdf

    with pymupdf.open(path) as doc:
        return [page.get_text() for page in doc]


def plumber(path):
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


LIBS = {"pypdfium2 (Apache-2.0/BSD)": pdfium, "pymupdf (AGPL-3.0)": mupdf, "pdfplumber (MIT)": plumber}


def columns_ok(pages) -> bool:
    """Rough Hay's first page: the left column's bullets come before the right column's."""
    text = " ".join(pages[0].split())
    try:
        left, right = text.index("Strong and purposeful leadership"), text.index("Pupils’ behaviour in lessons")
        return left < right and "most able pupils" in text[left:right] and "stay safe" not in text[left:right]
    except ValueError:
        return False


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    random.seed(1)
    files = random.sample(sorted(glob.glob(str(corpus / "ofsted-ilacs" / "*" / "*.pdf"))), n)
    school = str(next((corpus / "ofsted-schools").glob("139305*.pdf")))
    for name, fn in LIBS.items():
        pages, t = 0, time.perf_counter()
        for f in files:
            try:
                pages += len(fn(f))
            except Exception:
                pass
        dt = time.perf_counter() - t
        print(f"{name:<28} {pages / dt:7.1f} pages/s  two-column order: {'right' if columns_ok(fn(school)) else 'WRONG'}")


if __name__ == "__main__":
    main()
