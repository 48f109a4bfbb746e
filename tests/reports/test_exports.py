"""The funnel's files, read by the programs that read them: openpyxl for the XLSX, the csv
module for the CSV, poppler (pdftotext, pdftoppm) for the PDF."""

import csv
import datetime
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import province
from tests.reports.conftest import at, journey

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = {"since": "۱۴۰۴/۰۷/۰۹", "until": "۱۴۰۴/۱۰/۱۰"}  # 2025-10-01 to 2025-12-31
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm")
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdftotext, pdftoppm) is not installed: apt-get install -y poppler-utils"
)


@pytest.fixture
def qom_funnel(frozen_now):
    for declared in ([D(2025, 10, 20)], [D(2025, 10, 21), D(2025, 10, 22)]):
        journey(province_slug="qom", identified=D(2025, 10, 5), displayed=D(2025, 10, 9), declared=declared,
                shortlisted=D(2025, 10, 25), held=at(D(2025, 11, 4)), signed=D(2025, 11, 20))
    for _ in range(10):
        journey(province_slug="qom", identified=D(2025, 10, 5))


def _get(client, fmt, **params):
    response = client.get(reverse("reports:funnel-export", args=[fmt]), {**PERIOD, **params})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return response


def test_the_xlsx_holds_numbers_as_numbers(client, qom_staff, qom_funnel):
    client.force_login(qom_staff)
    book = load_workbook(io.BytesIO(_get(client, "xlsx").content))
    sheet = book.active
    assert sheet.sheet_view.rightToLeft
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, row in enumerate(rows) if row[0] == "استان" or row[0] == "Province")
    qom = rows[header_at + 1]
    assert qom[0] == province("qom").name_fa
    assert qom[1] == 12 and isinstance(qom[1], int)  # identified
    assert qom[2] == 2  # on display
    assert qom[3] == pytest.approx(2 / 12)  # its conversion, a fraction shown as a percentage
    assert qom[4] == 4  # median days from identification to display
    assert sheet.cell(row=header_at + 2, column=4).number_format == "0.0%"


def test_the_csv_is_utf8_with_a_byte_order_mark(client, qom_staff, qom_funnel, english):
    client.force_login(qom_staff)
    content = _get(client, "csv").content
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Province", "Needs identified", "On display"]
    assert rows[1][0] == "Qom"
    assert rows[1][1:4] == ["12", "2", "16.7"]
    assert rows[-1][0] == "Total"


@needs_poppler
def test_the_pdf_reads_in_persian(client, qom_staff, qom_funnel, tmp_path):
    client.force_login(qom_staff)
    response = _get(client, "pdf", province=province("qom").pk)
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "funnel.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "قم" in text
    assert "۱۲" in text  # needs identified, in Persian digits
    assert not any(ch in text for ch in "0123456789"), "every number in Persian digits"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    assert list(tmp_path.glob("page*.png"))


@needs_poppler
def test_the_national_pdf_lists_every_province(client, national_staff, qom_funnel, tmp_path):
    client.force_login(national_staff)
    pdf = tmp_path / "nation.pdf"
    pdf.write_bytes(_get(client, "pdf").content)
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for slug in ("qom", "tehran", "yazd"):
        assert province(slug).name_fa in text
