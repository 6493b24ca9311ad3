"""One location's service-audit report as a PDF, in the manager's language (ADR 0046).

Drawn in Python with fpdf2 and the DejaVu Sans shipped beside this module (Latin and Cyrillic; its
licence is in ``fonts/LICENSE.txt``): no browser, no system font, nothing fetched. The content is
the printable page's for one location: the score, the sections, the weakest items with their
advice and what evaluators wrote, and the trend over the waves before. No customer is named.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.support import NullTranslations, Translations
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from heedful.core.audits import LocationReport

FONTS = Path(__file__).parent / "fonts"
TRANSLATIONS = Path(__file__).parents[2] / "translations"
FONT = "DejaVu"
BAR_MM = 60.0  # a score of 100 draws a bar this long
INK, MUTED, BAR, BAR_WEAK = (20, 20, 20), (90, 90, 90), (46, 110, 160), (190, 80, 60)
TRACK = (225, 225, 225)
WEAK_BELOW = 75.0  # bars under this are drawn in the warning colour


@cache
def _translations(language: str) -> NullTranslations:
    return Translations.load(str(TRANSLATIONS), [language])


class _Report(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, f"{self.footer_text} · {self.page_no()}", align="C")


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def location_pdf(report: LocationReport, location_name: str, generated_at: datetime) -> bytes:
    """The PDF of ``report``: what a manager takes to the meeting with the location's team."""
    language = report.language
    gettext: Callable[[str], str] = _translations(language).gettext
    made_on = format_date(generated_at, "d MMMM y", locale=language)
    pdf = _Report(f"Heedful · {gettext('Service audits')} · {made_on}")
    pdf.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{gettext('Service audits')} · {report.wave} · {location_name}")
    pdf.set_lang(language)
    pdf.set_creator("Heedful")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    _heading(pdf, report, location_name, gettext)
    result = report.result
    if result is None:
        _line(pdf, gettext("No validated visits yet for this wave."), 11)
    else:
        _subtitle(pdf, gettext("Sections"))
        for key, value in result.sections.items():
            _bar_row(pdf, report.titles.get(key, key), value)
        _subtitle(pdf, gettext("Weakest items and what to do"))
        if not result.recommendations:
            _line(pdf, gettext("Every item earned its full points."), 10)
        for advice in result.recommendations:
            pdf.set_font(FONT, "B", 10)
            pdf.set_text_color(*INK)
            _line(pdf, f"{advice.title} — {_score(advice.score)} / 100", 10, bold=True)
            if advice.guidance:
                _line(pdf, advice.guidance, 10)
            for said in advice.comments:
                _line(pdf, f"«{said}»", 9, muted=True, indent=6)
            pdf.ln(2)
    if report.trend:
        _subtitle(pdf, gettext("Trend over waves"))
        for wave, value in report.trend.items():
            _bar_row(pdf, wave, value)
    return bytes(pdf.output())


def _heading(
    pdf: FPDF, report: LocationReport, location_name: str, gettext: Callable[[str], str]
) -> None:
    pdf.set_text_color(*MUTED)
    _line(pdf, f"{gettext('Service audits')} · {gettext('Wave')} {report.wave}", 11)
    pdf.set_text_color(*INK)
    pdf.set_font(FONT, "B", 20)
    pdf.multi_cell(0, 10, location_name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    result = report.result
    if result is not None:
        pdf.set_font(FONT, "B", 14)
        score = f"{gettext('Score')}: {_score(result.score)} / 100"
        pdf.multi_cell(0, 8, score, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        _line(pdf, f"{gettext('Validated visits')}: {result.visits}", 10, muted=True)
    pdf.ln(2)


def _subtitle(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FONT, "B", 13)
    pdf.set_text_color(*INK)
    pdf.multi_cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _line(
    pdf: FPDF, text: str, size: float, *, bold: bool = False, muted: bool = False, indent: float = 0
) -> None:
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.set_text_color(*(MUTED if muted else INK))
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(0, size * 0.5, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _bar_row(pdf: FPDF, label: str, value: float) -> None:
    """A label, a bar as long as the score, the score: readable on paper in black and white."""
    pdf.set_font(FONT, "", 10)
    pdf.set_text_color(*INK)
    label_width = pdf.epw - BAR_MM - 16
    found = pdf.multi_cell(label_width, 5, label, align="L", dry_run=True, output="LINES")
    lines = found if isinstance(found, list) else [label]
    if pdf.will_page_break(5 * len(lines)):
        pdf.add_page()
    top = pdf.get_y()
    pdf.multi_cell(label_width, 5, label, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
    bottom = top + 5 * max(len(lines), 1) + 1
    x = pdf.l_margin + label_width + 2
    pdf.set_fill_color(*TRACK)  # the whole 100, so a bar reads as a share of it on paper
    pdf.rect(x, top + 1, BAR_MM, 3, style="F")
    pdf.set_fill_color(*(BAR if value >= WEAK_BELOW else BAR_WEAK))
    pdf.rect(x, top + 1, max(BAR_MM * min(value, 100.0) / 100.0, 0.5), 3, style="F")
    pdf.set_xy(x + BAR_MM + 2, top)
    pdf.cell(12, 5, _score(value), align="R")
    pdf.set_xy(pdf.l_margin, bottom)


def pdf_headers(wave: str, location_id: str) -> dict[str, str]:
    """Download headers: an ASCII file name (ids only), and never kept by a shared cache."""
    name = "".join(
        c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in f"{wave}-{location_id}"
    )
    return {
        "Content-Disposition": f'attachment; filename="audit-{name}.pdf"',
        "Cache-Control": "private, no-store",
    }
