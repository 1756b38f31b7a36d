"""Loaders: PDF, HTML, DOCX and plain text/Markdown, to pages of text.

The type is sniffed from the content, never taken from the extension. Anything that cannot be
read as a report raises ``LoadError`` naming the file and saying what to do.
"""

from __future__ import annotations

import io
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

from index.errors import BadInputError

MAX_BYTES = 100 * 1024 * 1024  # a report is a few MB; larger files are refused, not parsed

# pdfium is not thread-safe, not even across documents: one call into it at a time in a process
# (the server renders pages for the view while an admin re-sync may parse in-process)
PDFIUM_LOCK = threading.Lock()


class LoadError(BadInputError):
    """A file that cannot be ingested; ``reason`` is the short form for summaries."""

    def __init__(self, path: str | Path, reason: str, hint: str = ""):
        self.path = str(path)
        self.reason = reason
        self.hint = hint
        super().__init__(f"{path}: {reason}" + (f" {hint}" if hint else ""))

    def __reduce__(self):  # crosses process boundaries (parsing runs in a worker process)
        return (type(self), (self.path, self.reason, self.hint))


@dataclass(frozen=True)
class Loaded:
    kind: str  # "pdf", "html", "docx", "text"
    pages: tuple[str, ...]
    paged: bool  # False: one block of text with no page numbers
    title: str = ""


# list markers seen in reports; symbol-font bullets are mapped to "•" when a PDF is read
BULLETS = "•◼◾▪■●◦○➢►❖✓·*\\-–"

SUFFIXES = {".pdf", ".html", ".htm", ".docx", ".txt", ".md", ".markdown", ".text"}


def sniff(head: bytes) -> str:
    """The file's real type from its first bytes: pdf, docx, zip, html, text or binary."""
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:4] == b"PK\x03\x04":
        return "zip"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:512].lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        text.startswith(b"<") and b"<html" in head[:4096].lower()
    ):
        return "html"
    if b"\x00" in head[:8192]:
        return "binary"
    return "text"


def load(path: str | Path) -> Loaded:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size == 0:
            raise LoadError(path, "the file is empty (0 bytes).", "Replace it with the full report.")
        if size > MAX_BYTES:
            raise LoadError(path, f"the file is too large ({size // 2**20} MB; the limit is "
                            f"{MAX_BYTES // 2**20} MB).", "Split it or check it is a report.")
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, f"cannot be read ({exc.strerror}).", "Check its permissions.") from exc
    kind = sniff(data[:8192])
    if kind == "pdf":
        loaded = _pdf(path, data)
    elif kind == "zip":
        loaded = _docx(path, data)
    elif kind == "html":
        loaded = _html(path, data)
    elif kind == "text":
        loaded = _text(path, data)
    else:
        raise LoadError(path, "is binary data, not a report (not PDF, HTML, DOCX or text).",
                        "Remove it from the reports folder.")
    claimed = path.suffix.lower()
    if claimed == ".pdf" and loaded.kind != "pdf":
        if loaded.kind == "html" and _looks_like_error_page(loaded):
            raise LoadError(path, "is an HTML error page saved with a .pdf name "
                            f"(it says: {loaded.title or loaded.pages[0][:60]!r}), not a report.",
                            "Download the report again.")
        raise LoadError(path, f"is named .pdf but is really {loaded.kind.upper()}.",
                        "Download the report again or rename it to its real type.")
    if not any(p.strip() for p in loaded.pages):
        raise LoadError(path, "has no text.", "Check that it is the full report.")
    return loaded


def _looks_like_error_page(loaded: Loaded) -> bool:
    text = (loaded.title + " " + " ".join(loaded.pages))[:3000].lower()
    return len(text) < 3000 or any(w in text for w in ("not found", "error", "404"))


# --- PDF -------------------------------------------------------------------------------------

_PDF_FIXES = {"\uf0b7": "•", "\uf0a7": "•", "\u00ad": "", "\ufffe": "", "\x02": "-"}


def clean_pdf_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for bad, good in _PDF_FIXES.items():
        text = text.replace(bad, good)
    # symbol-font bullets (Wingdings, Symbol) land in the private use area
    return re.sub("[\uf000-\uf0ff]", "•", text)


def _pdf(path: Path, data: bytes) -> Loaded:
    with PDFIUM_LOCK:
        return _read_pdf(path, data)


def _read_pdf(path: Path, data: bytes) -> Loaded:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc)
        if "password" in msg.lower():
            raise LoadError(path, "is an encrypted (password-protected) PDF.",
                            "Save an unprotected copy and ingest that.") from exc
        raise LoadError(path, f"is a damaged or truncated PDF ({msg}).",
                        "Download the report again.") from exc
    try:
        pages = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            pages.append(clean_pdf_text(textpage.get_text_bounded()))
            textpage.close()
            page.close()
        title = (pdf.get_metadata_dict().get("Title") or "").strip()
    except pdfium.PdfiumError as exc:
        raise LoadError(path, f"is a damaged PDF ({exc}).", "Download the report again.") from exc
    finally:
        pdf.close()
    if not pages:
        raise LoadError(path, "is a PDF with no pages.", "Download the report again.")
    if sum(len(p.strip()) for p in pages) < 20 * len(pages) and not any(
        len(p.strip()) > 200 for p in pages
    ):
        raise LoadError(path, f"is a PDF with no text layer ({len(pages)} pages of images: "
                        "a scan?).", "Run OCR on it first (for example ocrmypdf) and ingest the result.")
    return Loaded("pdf", tuple(pages), True, title)


# --- DOCX ------------------------------------------------------------------------------------

def _docx(path: Path, data: bytes) -> Loaded:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile as exc:
        raise LoadError(path, "is a damaged ZIP/DOCX file.", "Save the document again.") from exc
    if "word/document.xml" not in names:
        raise LoadError(path, "is a ZIP archive, not a Word document.",
                        "Unpack it and ingest the reports inside.")
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises several types for broken files
        raise LoadError(path, f"is a damaged Word document ({exc}).", "Save it again.") from exc
    lines: list[str] = []
    body = document.element.body
    for block in body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in block.iter() if t.tag.endswith("}t"))
            if text.strip():
                lines.append(text.strip())
        elif tag == "tbl":
            for row in block.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append(" ".join("".join(t.text or "" for t in p.iter()
                                                          if t.tag.endswith("}t"))
                                                  for p in cell.iter() if p.tag.endswith("}p")).strip())
                    if any(cells):
                        lines.append(" ".join(c for c in cells if c))
    title = (document.core_properties.title or "").strip()
    return Loaded("docx", ("\n".join(lines),), False, title)


# --- HTML ------------------------------------------------------------------------------------

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg",
         "button", "template", "iframe")
_BANNER = re.compile(r"cookie|consent|banner|skip-link|breadcrumb|govuk-header|govuk-footer|"
                     r"site-header|site-footer|navigation|menu", re.I)
_BLOCKS = ("p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "br", "section",
           "article", "main", "table", "ul", "ol", "dt", "dd", "blockquote", "pre")


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "utf-8"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    return data.decode("cp1252", errors="replace")


def _html(path: Path, data: bytes) -> Loaded:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_decode(data), "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(_DROP):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.attrs is None or tag.decomposed:
            continue
        marks = " ".join([tag.get("id") or "", *(tag.get("class") or []), tag.get("role") or ""])
        if marks.strip() and _BANNER.search(marks) and tag.name not in ("main", "article", "body"):
            tag.decompose()
    root = soup.find("main") or soup.find("article") or soup.body or soup
    for tag in root.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    for cell in root.find_all(("td", "th")):
        cell.insert_after(" ")
    text = root.get_text()
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    body = "\n".join(line for line in lines if line)
    return Loaded("html", (body,), False, title)


# --- text ------------------------------------------------------------------------------------

def _text(path: Path, data: bytes) -> Loaded:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        if text.count("\ufffd") > max(5, len(text) // 100):
            raise LoadError(path, "is not text in UTF-8 or Windows-1252.",
                            "Save it as UTF-8 text and ingest it again.")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(10, len(text[:20000]) // 50):
        raise LoadError(path, "is binary data with a text name, not a report.",
                        "Remove it from the reports folder.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = tuple(text.split("\f")) if "\f" in text else (text,)
    first = next((line.strip("# ").strip() for line in text.split("\n") if line.strip()), "")
    return Loaded("text", pages, "\f" in text, first[:200])
