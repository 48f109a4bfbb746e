"""The funnel as files: XLSX (numbers as numbers), CSV (UTF-8 with a byte-order mark, as the
other exports, so spreadsheet programs read the Persian names) and PDF.

The PDF is set in Vazirmatn (reports/fonts/, OFL) by fpdf2 with HarfBuzz shaping, so Persian
letters join and run right to left; in Persian the table's columns run right to left too and
its numbers are in Persian digits (core.digits, as on the pages). Every file is written in
the reader's language, from the same rows as the page (reports.selectors.funnel)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from core.digits import persian_digits_in_text
from core.formats import date as local_date
from core.formats import number, usd
from core.i18n import is_persian
from reports.formats import days, percent

FONTS = Path(__file__).resolve().parent / "fonts"


# --- what every format shows ------------------------------------------------------------
def title(report: dict) -> str:
    return _("Funnel: from needs identified to contracts")


def scope_line(report: dict) -> str:
    scope = report.get("scope", {})
    where = scope["province"].name if scope.get("province") else (
        _("All provinces") if scope.get("national") else _("Your provinces")
    )
    sector = scope["sector"].name if scope.get("sector") else _("All sectors")
    return _("%(where)s · %(sector)s · from %(since)s to %(until)s") % {
        "where": where, "sector": sector, "since": local_date(report["since"]), "until": local_date(report["until"]),
    }


def _rows(report: dict):
    """(label, row) for each province and the total."""
    total_label = report.get("scope", {}).get("total_label") or _("Total")
    for row in report["provinces"]:
        yield row["province"].name, row
    yield total_label, report["total"]


def _headings(report: dict, *, in_percent: bool = False) -> list[str]:
    conversion = _("%(step)s: conversion (%%)") if in_percent else _("%(step)s: conversion")
    heads = [_("Province")]
    for index, step in enumerate(report["steps"]):
        heads.append(str(step["label"]))
        if index:
            heads.append(conversion % {"step": step["label"]})
            heads.append(_("%(step)s: median days from the step before") % {"step": step["label"]})
    heads.append(_("FX saved (USD)"))
    return heads


def _values(row: dict, *, percent_as_fraction: bool) -> list:
    values = []
    for index, step in enumerate(row["steps"]):
        values.append(step["count"])
        if index:
            conversion = step["conversion"]
            if conversion is not None and not percent_as_fraction:
                conversion = round(conversion * 100, 1)
            values.append(conversion)
            values.append(step["median_days"])
    values.append(row["fx_saved_usd"])
    return values


# --- XLSX --------------------------------------------------------------------------------
def funnel_xlsx(report: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Funnel")[:31]
    sheet.sheet_view.rightToLeft = is_persian()
    sheet.append([title(report)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([scope_line(report)])
    sheet.append([])
    sheet.append(_headings(report))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for label, row in _rows(report):
        sheet.append([label, *_values(row, percent_as_fraction=True)])
        _format_numbers(sheet, sheet.max_row, report)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    sheet.column_dimensions["A"].width = 22
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _format_numbers(sheet, row_number: int, report: dict) -> None:
    """Counts as integers, conversions as percentages, days with one decimal, dollars whole."""
    column = 2
    for index, _step in enumerate(report["steps"]):
        sheet.cell(row=row_number, column=column).number_format = "#,##0"
        column += 1
        if index:
            sheet.cell(row=row_number, column=column).number_format = "0.0%"
            sheet.cell(row=row_number, column=column + 1).number_format = "0.0"
            column += 2
    sheet.cell(row=row_number, column=column).number_format = "#,##0"


# --- CSV ---------------------------------------------------------------------------------
def funnel_csv(report: dict) -> bytes:
    out = io.StringIO()
    out.write("\ufeff")  # so spreadsheet programs read the Persian names as UTF-8
    writer = csv.writer(out)
    writer.writerow(_headings(report, in_percent=True))
    for label, row in _rows(report):
        writer.writerow([label, *("" if v is None else v for v in _values(row, percent_as_fraction=False))])
    return out.getvalue().encode("utf-8")


# --- PDF ---------------------------------------------------------------------------------
def _shown(value) -> str:
    return persian_digits_in_text(value) if is_persian() else value


class _FunnelPDF(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("Vazirmatn", size=8)
        self.cell(0, 6, _shown(str(self.page_no())), align="C")


def _table(pdf: FPDF, headings: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """A table whose columns run right to left in Persian (fpdf2 lays tables out left to
    right, so the columns are given in reverse)."""
    rtl = is_persian()
    if rtl:
        headings, widths = headings[::-1], widths[::-1]
        rows = [row[::-1] for row in rows]
    # Names at the start of the line, figures at the end, in either direction.
    align = ("RIGHT",) * len(widths) if rtl else ("LEFT", *("RIGHT",) * (len(widths) - 1))
    with pdf.table(
        col_widths=widths, text_align=align, line_height=4.6, padding=(0.9, 1.5),
        headings_style=FontFace(emphasis="BOLD", fill_color=(226, 234, 240)),
        cell_fill_color=(246, 248, 250), cell_fill_mode=TableCellFillMode.ROWS,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        heading = table.row()
        for text in headings:
            heading.cell(text)
        for number_, values in enumerate(rows, start=1):
            # The last row is the total.
            line = table.row(style=FontFace(emphasis="BOLD") if number_ == len(rows) else None)
            for text in values:
                line.cell(text)


def funnel_pdf(report: dict) -> bytes:
    rtl = is_persian()
    pdf = _FunnelPDF(orientation="landscape", format="A4")
    pdf.set_title(title(report))
    pdf.set_lang("fa" if rtl else "en")
    pdf.add_font("Vazirmatn", "", str(FONTS / "Vazirmatn-Regular.ttf"))
    pdf.add_font("Vazirmatn", "B", str(FONTS / "Vazirmatn-Bold.ttf"))
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl" if rtl else "ltr")
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    align = "R" if rtl else "L"

    pdf.set_font("Vazirmatn", "B", 15)
    pdf.cell(0, 9, title(report), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Vazirmatn", "", 10)
    pdf.cell(0, 7, _shown(scope_line(report)), align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    steps = report["steps"]
    rows = list(_rows(report))
    pdf.set_font("Vazirmatn", "", 8.5)
    counts_head = [_("Province"), *(str(step["label"]) for step in steps), _("FX saved")]
    counts_rows = []
    for label, row in rows:
        cells = [label]
        for index, step in enumerate(row["steps"]):
            text = _shown(number(step["count"])) if rtl else number(step["count"])
            has_conversion = index and step["conversion"] is not None
            cells.append(f"{text}  ({percent(step['conversion'])})" if has_conversion else text)
        cells.append("–" if row["fx_saved_usd"] is None else _shown(usd(row["fx_saved_usd"])))
        counts_rows.append(cells)
    _table(pdf, counts_head, counts_rows, [34, *([28] * len(steps)), 37])

    pdf.ln(5)
    pdf.set_font("Vazirmatn", "B", 11)
    pdf.cell(0, 7, _("Median days from the step before, need by need"), align=align,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Vazirmatn", "", 8.5)
    days_head = [_("Province"), *(str(step["label"]) for step in steps[1:])]
    days_rows = [[label, *(days(step["median_days"]) for step in row["steps"][1:])] for label, row in rows]
    _table(pdf, days_head, days_rows, [34, *([38] * (len(steps) - 1))])

    pdf.ln(3)
    pdf.set_font("Vazirmatn", "", 8)
    pdf.multi_cell(0, 5, _shown(_(
        "Each step counts the events dated in the period; in brackets, its conversion from the step before. FX saved: the annual FX of the needs whose first contract was signed in the period."
    )), align=align)
    return bytes(pdf.output())

