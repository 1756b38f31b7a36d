"""Loaders on real and deliberately broken files."""

from __future__ import annotations

import pytest

from conftest import BAD_HTML_PDF, SALFORD_2018, SAMPLES, SCHOOL, corpus_path
from ingest.load import LoadError, load, sniff


def test_sniff_takes_the_type_from_content():
    assert sniff(b"%PDF-1.7\n...") == "pdf"
    assert sniff(b"\xef\xbb\xbf<!DOCTYPE html><html>") == "html"
    assert sniff(b"PK\x03\x04rest") == "zip"
    assert sniff(b"Salford rated good") == "text"
    assert sniff(b"\x00\x01\x02\x03") == "binary"


def test_real_pdf_keeps_pages_and_reading_order():
    loaded = load(corpus_path(SALFORD_2018))
    assert loaded.kind == "pdf" and loaded.paged
    assert len(loaded.pages) == 12
    assert "Lead inspector: Lorna Schlechte" in loaded.pages[0]
    assert "What needs to improve" in loaded.pages[1]
    assert "\uf06e" not in loaded.pages[1] and "•" in loaded.pages[1]  # symbol-font bullets


def test_two_column_school_report_does_not_interleave_columns():
    page = load(corpus_path(SCHOOL)).pages[0]
    # the left column's bullet list runs on unbroken before the right column starts
    left = page.index("Strong and purposeful leadership")
    right = page.index("Pupils’ behaviour in lessons")
    between = page[left:right]
    assert "most able pupils" in between
    assert "Pupils know how to stay safe" not in between


def test_html_error_page_named_pdf_is_rejected_by_name():
    path = corpus_path(BAD_HTML_PDF)
    with pytest.raises(LoadError) as err:
        load(path)
    assert str(path) in str(err.value)
    assert "HTML error page" in err.value.reason


@pytest.mark.parametrize("content,reason", [
    (b"", "empty"),
    (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "damaged"),
    (bytes(range(256)) * 40, "binary"),
])
def test_bad_files_get_a_clear_reason(tmp_path, content, reason):
    path = tmp_path / "bad report.txt"
    path.write_bytes(content)
    with pytest.raises(LoadError) as err:
        load(path)
    assert reason in str(err.value) and "bad report.txt" in str(err.value)


def test_non_utf8_text_is_read(tmp_path):
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Caf\xe9 children’s services were judged good.".encode("cp1252"))
    assert "Café" in load(path).pages[0]


def test_html_keeps_main_text_and_drops_navigation(tmp_path):
    path = tmp_path / "report.html"
    path.write_text("""<!doctype html><html><head><title>Report</title></head><body>
      <div class="cookie-banner">We use cookies</div><nav>Home | Search</nav>
      <main><h1>Brackenford</h1><p>Overall effectiveness: Good.</p><ul><li>One</li></ul></main>
      <footer>Contact us</footer></body></html>""", encoding="utf-8")
    text = load(path).pages[0]
    assert "Overall effectiveness: Good." in text and "One" in text
    assert "cookies" not in text and "Home" not in text and "Contact" not in text


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    d = docx.Document()
    d.add_paragraph("Inspection of Testshire local authority children's services")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Overall effectiveness"
    table.rows[0].cells[1].text = "Good"
    path = tmp_path / "report.docx"
    d.save(path)
    loaded = load(path)
    assert loaded.kind == "docx"
    assert "Overall effectiveness Good" in loaded.pages[0]


def test_pdf_without_text_layer_is_rejected(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 100, style="F")
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    with pytest.raises(LoadError, match="no text layer"):
        load(path)


def test_encrypted_pdf_is_rejected(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Confidential report")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    with pytest.raises(LoadError, match="encrypted"):
        load(path)


def test_sample_pdf_loads():
    loaded = load(SAMPLES / "brackenford-childrens-services-2025.pdf")
    assert len(loaded.pages) == 3
