"""A report's page as an image and where a quote stands on it (pypdfium2), and a bounded disk
cache for the images.

Quotes are the stored page text with whitespace collapsed, and the stored text is what
pdfium's text page gives (cleaned as ``ingest.load.clean_pdf_text`` cleans it), so a quote is
found among the page's characters by comparing them with all whitespace left out; pdfium then
gives the rectangles those characters cover, line by line.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import tempfile
from ctypes import c_int
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.load import PDFIUM_LOCK, clean_pdf_text

log = logging.getLogger(__name__)

IMAGE_WIDTHS = (600, 1200)  # pixels across a rendered page: phones, and screens (A4 at 145 dpi)
MAX_HEIGHT = 4000

_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class PageLayout:
    """One page: its size in PDF points, how many pages the file has, and the quote's
    rectangles as fractions of the page (left, top, width, height; top-left origin)."""

    width: float
    height: float
    pages: int
    boxes: tuple[tuple[float, float, float, float], ...] = ()


def find_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text``, comparing without whitespace (a quote's line breaks
    were collapsed to spaces); exact first, then ignoring case. ``(start, end)`` in ``text``."""
    want = _SPACE.sub("", quote)
    if not want:
        return None
    where = [i for i, ch in enumerate(text) if not ch.isspace()]
    bare = "".join(text[i] for i in where)
    i = bare.find(want)
    if i < 0:
        i = bare.casefold().find(want.casefold()) if len(bare.casefold()) == len(bare) else -1
    if i < 0:
        return None
    return where[i], where[i + len(want) - 1] + 1


def layout(path: str | Path, page: int, quote: str = "") -> PageLayout:
    """The page's size and, where ``quote`` is on it, the rectangles of its words."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(path))
        try:
            n = len(pdf)
            if not 1 <= page <= n:
                raise IndexError(f"page {page} of {n}")
            pg = pdf[page - 1]
            width, height = pg.get_size()
            boxes: list[tuple[float, float, float, float]] = []
            if quote:
                tp = pg.get_textpage()
                chars = "".join(_char(raw.FPDFText_GetUnicode(tp, i)) for i in range(tp.count_chars()))
                span = find_span(chars, quote)
                if span:
                    start, end = span
                    for k in range(tp.count_rects(start, end - start)):
                        boxes.append(_fraction(raw, pg, tp.get_rect(k), width, height))
                tp.close()
            pg.close()
        finally:
            pdf.close()
    return PageLayout(width, height, n, _lines(b for b in boxes if b[2] > 0 and b[3] > 0))


def _lines(boxes) -> tuple[tuple[float, float, float, float], ...]:
    """pdfium's rectangles joined into one per line where they touch (it splits a line at
    hyphens and font changes): grouped by line, then neighbours merged left to right."""
    lines: list[list[tuple[float, float, float, float]]] = []
    for box in sorted(boxes, key=lambda b: b[1]):
        line = lines[-1] if lines else None
        if line:
            top, bottom = min(b[1] for b in line), max(b[1] + b[3] for b in line)
            overlap = min(bottom, box[1] + box[3]) - max(top, box[1])
        if line and overlap > 0.5 * min(bottom - top, box[3]):
            line.append(box)
        else:
            lines.append([box])
    out = []
    for line in lines:
        merged: list[list[float]] = []
        for x, y, w, h in sorted(line):
            last = merged[-1] if merged else None
            if last and x - (last[0] + last[2]) < 0.02:
                right, bottom = max(last[0] + last[2], x + w), max(last[1] + last[3], y + h)
                last[1] = min(last[1], y)
                last[2], last[3] = right - last[0], bottom - last[1]
            else:
                merged.append([x, y, w, h])
        out.extend(merged)
    return tuple((round(x, 5), round(y, 5), round(w, 5), round(h, 5)) for x, y, w, h in out)


@lru_cache(maxsize=4096)
def _char(code: int) -> str:
    """One of the page's characters as ingest cleaned it into the stored text; one that ingest
    dropped is a space, which the comparison leaves out."""
    cleaned = clean_pdf_text(chr(code)) if 0 < code < 0x110000 else ""
    return cleaned if len(cleaned) == 1 else " "


def _fraction(raw, page, rect, width: float, height: float) -> tuple[float, float, float, float]:
    """A rectangle in page space (PDF points, y up) as fractions of the rendered page, mapped
    the way pdfium renders (crop box and rotation included)."""
    left, bottom, right, top = rect
    size = 10000  # device units per page side: plenty of precision
    xs, ys = [], []
    for px, py in ((left, top), (right, bottom)):
        dx, dy = c_int(), c_int()
        raw.FPDF_PageToDevice(page, 0, 0, size, size, 0, px, py, dx, dy)
        xs.append(dx.value / size)
        ys.append(dy.value / size)
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    return (x0, y0, x1 - x0, y1 - y0)


def render_png(path: str | Path, page: int, width_px: int = IMAGE_WIDTHS[-1]) -> bytes:
    """The page as a PNG ``width_px`` wide (less for very tall pages)."""
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        pdf = pdfium.PdfDocument(str(path))
        try:
            if not 1 <= page <= len(pdf):
                raise IndexError(f"page {page} of {len(pdf)}")
            pg = pdf[page - 1]
            w, h = pg.get_size()
            scale = min(width_px / w, MAX_HEIGHT / h)
            image = pg.render(scale=scale, fill_color=(255, 255, 255, 255)).to_pil()
            pg.close()
        finally:
            pdf.close()
    # 64 colours: a third of the bytes of full colour, with no visible change on report pages
    from PIL import Image

    out = io.BytesIO()
    image.convert("RGB").quantize(64, method=Image.Quantize.FASTOCTREE).save(out, format="PNG")
    return out.getvalue()


class ImageCache:
    """Rendered pages on disk, at most ``max_bytes``; the least recently used go first.
    Several processes may share the folder: files are written whole and renamed into place."""

    def __init__(self, folder: str | Path | None, max_bytes: int):
        self.folder = Path(folder) if folder else None
        self.max_bytes = max_bytes
        if self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                log.warning("page images will not be cached: cannot create %s (%s)", self.folder, exc)
                self.folder = None

    def _path(self, key: str) -> Path:
        return self.folder / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".png")

    def get(self, key: str) -> bytes | None:
        if self.folder is None:
            return None
        path = self._path(key)
        try:
            data = path.read_bytes()
            os.utime(path)  # recently used
            return data
        except OSError:
            return None

    def put(self, key: str, data: bytes) -> None:
        if self.folder is None or len(data) > self.max_bytes:
            return
        try:
            with tempfile.NamedTemporaryFile(dir=self.folder, suffix=".tmp", delete=False) as fh:
                fh.write(data)
            os.replace(fh.name, self._path(key))
            self._trim()
        except OSError as exc:
            log.warning("could not cache a page image in %s: %s", self.folder, exc)

    def _trim(self) -> None:
        files = []
        for entry in os.scandir(self.folder):
            if entry.name.endswith(".png"):
                try:
                    st = entry.stat()
                except OSError:
                    continue
                files.append((st.st_mtime, st.st_size, entry.path))
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self.max_bytes:
                break
            try:
                os.unlink(path)
                total -= size
            except OSError:
                pass

    def size(self) -> int:
        if self.folder is None:
            return 0
        return sum(e.stat().st_size for e in os.scandir(self.folder) if e.name.endswith(".png"))
