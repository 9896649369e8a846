"""Read back a PDF the way a reader would: its text (pdftotext) and page sizes (MediaBox).

Without poppler-utils the tests that read PDFs are skipped, and fail under CI=true."""

from __future__ import annotations

import re
import subprocess
import unicodedata

from tests.needs import require_tool

# Page sizes in PDF points (1/72 inch), rounded.
A5_PORTRAIT = (420, 595)
A4_PORTRAIT = (595, 842)
A4_LANDSCAPE = (842, 595)


def pdf_text(pdf: bytes) -> str:
    """The text of every page, NFC-normalised, whitespace collapsed."""
    out = subprocess.run([require_tool("pdftotext"), "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
    text = unicodedata.normalize("NFC", out.stdout.decode("utf-8"))
    return re.sub(r"\s+", " ", text)


def page_sizes(pdf: bytes) -> list[tuple[int, int]]:
    """(width, height) of each page from its MediaBox, in points."""
    out = subprocess.run(
        [require_tool("pdfinfo"), "-f", "1", "-l", "999", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
    return [(round(float(w)), round(float(h))) for w, h in sizes]


def embedded_fonts(pdf: bytes) -> list[str]:
    out = subprocess.run([require_tool("pdffonts"), "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return [line.split()[0] for line in out.splitlines()[2:] if line.strip() and line.split()[-5] == "yes"]
