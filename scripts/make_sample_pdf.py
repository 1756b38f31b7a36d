"""Build samples/brackenford-childrens-services-2025.pdf from its text source (fpdf2).

The PDF is committed; run this only after changing the text: ``python scripts/make_sample_pdf.py``.
A form feed in the source starts a new page.
"""

from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).parent
SRC = HERE / "sample-src" / "brackenford-childrens-services-2025.txt"
OUT = HERE.parent / "samples" / "brackenford-childrens-services-2025.pdf"


def main() -> None:
    pdf = FPDF(format="A4")
    pdf.set_title("Brackenford City Council: inspection of local authority children's services (fictional sample)")
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_font("Helvetica", size=11)
    for page in SRC.read_text(encoding="utf-8").split("\f"):
        pdf.add_page()
        for para in page.strip().split("\n"):
            text = para.replace("’", "'")
            if not text.strip():
                pdf.ln(4)
                continue
            pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(OUT))


if __name__ == "__main__":
    main()
