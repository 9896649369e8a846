"""Forms as HTML and PDF: one Jinja template per form, printed with WeasyPrint.

The same template is served as a page (for a quick look on screen) and turned into a PDF.
Fonts: the state document format (ND 30/2020/NĐ-CP, Appendix I) asks for the Times New
Roman family. `find_fonts` takes the first installed family that covers every Vietnamese
letter: Liberation Serif 2 (fonts-liberation2, metric-compatible with Times New Roman),
Times New Roman itself, TeX Gyre Termes, then DejaVu Serif (fonts-dejavu-core). The files
are embedded through `@font-face` with `file://` URLs, also inside the `@page` margin boxes.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import segno

from motcua.core.clock import now, to_local
from motcua.dossiers.lookup_keys import key_in_words
from motcua.web.templating import templates

log = logging.getLogger("motcua.documents")

def _family(directory: str, regular: str, bold: str, italic: str, bold_italic: str) -> tuple[Path, dict[str, str]]:
    return Path(directory), {"regular": regular, "bold": bold, "italic": italic, "bold_italic": bold_italic}


# In order of preference: Times New Roman metrics first (ND 30/2020), then any serif that
# really covers Vietnamese. Debian's fonts-liberation (1.07) lacks the Vietnamese letters
# (ơ, ư, ạ, ế …); fonts-liberation2 (2.x) and fonts-texgyre have them.
FONT_CANDIDATES = [
    _family("/usr/share/fonts/truetype/liberation2", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
            "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"),
    _family("/usr/share/fonts/truetype/msttcorefonts", "Times_New_Roman.ttf", "Times_New_Roman_Bold.ttf",
            "Times_New_Roman_Italic.ttf", "Times_New_Roman_Bold_Italic.ttf"),
    _family("/usr/share/texmf/fonts/opentype/public/tex-gyre", "texgyretermes-regular.otf",
            "texgyretermes-bold.otf", "texgyretermes-italic.otf", "texgyretermes-bolditalic.otf"),
    _family("/usr/share/fonts/truetype/liberation", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
            "LiberationSerif-Italic.ttf", "LiberationSerif-BoldItalic.ttf"),
    _family("/usr/share/fonts/truetype/dejavu", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf",
            "DejaVuSerif-Italic.ttf", "DejaVuSerif-BoldItalic.ttf"),
]
# Every letter of Vietnamese that is not in Latin-1, upper and lower case.
VIETNAMESE_PROBE = (
    "ĂÂĐÊÔƠƯăâđêôơư"
    "ẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ"
    "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"
)

# Relative URLs in the form templates resolve against the package folder.
BASE_URL = str(Path(__file__).resolve().parent)
MAX_CONCURRENT_PDF = 2
_printing = threading.BoundedSemaphore(MAX_CONCURRENT_PDF)

PAGE_CSS_SIZES = {"A5": "A5 portrait", "A4": "A4 portrait", "A4 landscape": "A4 landscape"}


@dataclass(frozen=True)
class FontFiles:
    regular: str
    bold: str
    italic: str
    bold_italic: str
    # DejaVu Serif is about 12 % wider than Times New Roman: print it smaller so the slips
    # keep their layout (and stay on one A5 page).
    scale: float = 1.0


def covers_vietnamese(path: Path) -> bool:
    """Does the font file map every Vietnamese letter (so nothing falls back to another font)?"""
    from fontTools.ttLib import TTFont  # a WeasyPrint dependency

    try:
        with TTFont(path, lazy=True) as font:
            cmap = font.getBestCmap() or {}
    except Exception:  # unreadable font file: not a candidate
        return False
    return all(ord(ch) in cmap for ch in VIETNAMESE_PROBE)


@lru_cache(maxsize=1)
def find_fonts() -> FontFiles | None:
    """The first serif family on this machine that covers Vietnamese, as file:// URLs."""
    for directory, files in FONT_CANDIDATES:
        paths = {k: directory / v for k, v in files.items()}
        if all(p.is_file() for p in paths.values()) and covers_vietnamese(paths["regular"]):
            scale = 0.9 if "dejavu" in str(directory).lower() else 1.0
            return FontFiles(**{k: p.as_uri() for k, p in paths.items()}, scale=scale)
    log.warning("no serif font covering Vietnamese found; install fonts-liberation2 or fonts-dejavu-core")
    return None


# A half of a balanced agency name holds at most this many characters, so that it still fits
# the header column of an A5 slip in bold capitals (a title: the width beside the QR code);
# longer names only keep their last two words together.
BALANCED_HALF_CHARS = 24
BALANCED_TITLE_HALF_CHARS = 34
NBSP = "\u00a0"


def balanced(name: str, half_chars: int = BALANCED_HALF_CHARS) -> str:
    """An agency name (or a title) whose only breakable space is the one nearest its middle.

    "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" prints on one line where it fits, else as "ỦY BAN NHÂN
    DÂN / TỈNH LẠNG SƠN" — never with "SƠN" alone on the second line."""
    words = name.split()
    if len(words) < 3:
        return NBSP.join(words)
    best = min(range(1, len(words)),
               key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))))
    first, second = NBSP.join(words[:best]), NBSP.join(words[best:])
    if max(len(first), len(second)) <= half_chars:
        return f"{first} {second}"
    return " ".join(words[:-2] + [NBSP.join(words[-2:])])


def lookup_url(public_base_url: str, code: str, key: str = "") -> str:
    """The public lookup with the code and the lookup key filled in (the QR of every slip)."""
    url = f"{public_base_url.rstrip('/')}/tra-cuu?ma={quote(code, safe='')}"
    return f"{url}&khoa={quote(key, safe='')}" if key else url


def qr_data_uri(url: str) -> str:
    """An SVG QR code as a data URI (crisp at any print size, no image file to store)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=2)


def time_and_date(moment: datetime | None) -> str:
    """"14 giờ 05 phút, ngày 24/11/2026" in local time, as printed on the slips."""
    if moment is None:
        return "…… giờ …… phút, ngày ……/……/………"
    local = to_local(moment)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def place_and_date(place: str, moment: datetime | date | None) -> str:
    """"Lạng Sơn, ngày 05 tháng 3 năm 2026": ND 30/2020 (Appendix I, II.5) writes days
    below 10 and the months 1 and 2 with a leading zero, other months without."""
    if moment is None:
        return f"{place}, ngày …… tháng …… năm ………"
    day = to_local(moment).date() if isinstance(moment, datetime) else moment
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def vn_date(moment: datetime | date | None) -> str:
    if moment is None:
        return ""
    day = to_local(moment).date() if isinstance(moment, datetime) else moment
    return day.strftime("%d/%m/%Y")


def vn_datetime(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return to_local(moment).strftime("%H:%M %d/%m/%Y")


def render_html(
    template: str,
    *,
    form_number: str,
    form_title: str,
    paper_size: str,
    place: str,
    public_base_url: str,
    code: str | None = None,
    lookup_key: str = "",
    issued_at: datetime | None = None,
    for_screen: bool = False,
    **context,
) -> str:
    """Render a form template to a complete HTML document."""
    issued_at = issued_at or now()
    fonts = find_fonts()
    url = lookup_url(public_base_url, code, lookup_key) if code else ""
    return templates.env.get_template(template).render(
        form_number=form_number,
        form_title=form_title,
        page_size=PAGE_CSS_SIZES.get(paper_size, "A4 portrait"),
        landscape=paper_size == "A4 landscape",
        small=paper_size == "A5",
        fonts=fonts,
        font_scale=fonts.scale if fonts else 1.0,
        place=place,
        issued_at=issued_at,
        code=code,
        lookup_key=key_in_words(lookup_key) if lookup_key else "",
        lookup_url=url,
        qr=qr_data_uri(url) if url else "",
        for_screen=for_screen,
        time_and_date=time_and_date,
        balanced=balanced,
        title_half_chars=BALANCED_TITLE_HALF_CHARS,
        place_and_date=place_and_date,
        vn_date=vn_date,
        vn_datetime=vn_datetime,
        **context,
    )


def html_to_pdf(html: str) -> bytes:
    """Print an HTML document with WeasyPrint (fonts embedded, subset).

    At most MAX_CONCURRENT_PDF documents are laid out at once in a process: each one holds its
    whole layout in memory (tens of MB for a part of the tracking book), and a burst of clerks
    printing at the same time must not add up to more than the server can hold.
    """
    from weasyprint import HTML  # heavy import, only when a PDF is really printed

    with _printing:
        return HTML(string=html, base_url=BASE_URL).write_pdf()
