"""Bulk import and export of needs through the admin, as Qom's provincial staff."""

import codecs
import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from needs.models import Need
from tests.factories import (
    CompanyFactory,
    ExhibitionFactory,
    NeedFactory,
    ShelfFactory,
    province,
)

pytestmark = pytest.mark.django_db

# The English admin (/en/...), so the assertions can read the reported reasons.
with translation.override("en"):
    IMPORT_URL = reverse("admin:needs_need_import")
    PROCESS_URL = reverse("admin:needs_need_process_import")
    EXPORT_URL = reverse("admin:needs_need_export")
HEADERS = [
    "title", "title_en", "buyer_national_id", "sector", "hs_code", "annual_quantity", "unit", "annual_fx_usd",
    "origin_country", "exhibition", "shelf", "shelf_position", "display_consent", "is_anonymous", "status",
    "identified_on",
]


@pytest.fixture
def qom():
    exhibition = ExhibitionFactory(province=province("qom"), slug="qom-permanent")
    shelf = ShelfFactory(exhibition=exhibition, code="C-01", positions=12)
    buyers = [CompanyFactory(province=province("qom")) for _ in range(4)]
    return exhibition, shelf, buyers


def good_rows(buyers, count=20):
    rows = []
    for i in range(count):
        on_shelf = i < 8
        rows.append([
            f"قطعه وارداتی شماره {i + 1}", f"Imported part {i + 1}", buyers[i % len(buyers)].national_id,
            "auto-parts" if i % 2 else "خودرو و قطعات" if False else "متالورژی" if False else "metal",
            f"87083{i % 10}", 100 + i, "piece", f"{(i + 1) * 1000:,}", "CN",
            "qom-permanent" if on_shelf else "", "C-01" if on_shelf else "", i + 1 if on_shelf else "",
            "بله" if on_shelf else "0", "0", "on_display" if on_shelf else "identified",
            "۱۴۰۴/۰۷/۱۸" if i % 3 == 0 else datetime.date(2025, 10, 1 + i % 20),
        ])
    return rows


def xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("needs.xlsx", out.getvalue())


def preview(client, upload, fmt="0"):
    return client.post(IMPORT_URL, {"format": fmt, "import_file": upload, "resource": "0"})


def confirm(client, response):
    return client.post(PROCESS_URL, response.context["confirm_form"].initial, follow=True)


def test_qom_staff_import_twenty_needs_from_an_xlsx_file(staff_client, qom_staff, qom):
    exhibition, shelf, buyers = qom
    response = preview(staff_client, xlsx(good_rows(buyers)))
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert Need.objects.count() == 0  # the preview stores nothing

    done = confirm(staff_client, response)
    assert done.status_code == 200
    needs = Need.objects.all()
    assert needs.count() == 20
    assert set(needs.values_list("province__slug", flat=True)) == {"qom"}
    assert set(needs.values_list("entered_by", flat=True)) == {qom_staff.pk}
    assert needs.filter(status="on_display", shelf=shelf).count() == 8
    first = needs.get(title="قطعه وارداتی شماره 1")
    assert first.identified_on == datetime.date(2025, 10, 10) and first.annual_fx_usd == 1000


BAD_ROWS = {
    "a Tehran buyer": ({"buyer_national_id": "tehran"}, "buyer_national_id", "No buyer company"),
    "a bad HS code": ({"hs_code": "87-A"}, "hs_code", "HS code"),
    "an unknown sector": ({"sector": "aerospace"}, "sector", "No sector"),
    "a taken shelf place": ({"exhibition": "qom-permanent", "shelf": "C-01", "shelf_position": 1,
                             "display_consent": "1", "status": "on_display"}, None, "shelf place"),
    "a new need that is contracted": ({"status": "contracted"}, "status", "starts as"),
    "a date that is not a date": ({"identified_on": "next week"}, "identified_on", "not a date"),
    "a Tehran exhibition": ({"exhibition": "tehran-permanent"}, "exhibition", "No exhibition"),
}


def test_a_file_with_bad_rows_imports_nothing_and_says_why_for_each_row(staff_client, qom):
    exhibition, shelf, buyers = qom
    tehran_buyer = CompanyFactory(province=province("tehran"))
    ExhibitionFactory(province=province("tehran"), slug="tehran-permanent")
    rows = good_rows(buyers, count=3)
    for change, _field, _message in BAD_ROWS.values():
        row = dict(zip(HEADERS, good_rows(buyers, count=12)[11]))
        row.update(change)
        if row["buyer_national_id"] == "tehran":
            row["buyer_national_id"] = tehran_buyer.national_id
        rows.append([row[h] for h in HEADERS])

    response = preview(staff_client, xlsx(rows))
    result = response.context["result"]
    assert "confirm_form" not in response.context
    invalid = {row.number: row for row in result.invalid_rows}
    reported = {number: invalid[number].error_dict for number in invalid}
    for offset, (case, (_change, field, message)) in enumerate(BAD_ROWS.items()):
        number = 4 + offset
        assert number in reported, case
        messages_for_row = reported[number].get(field, []) if field else sum(reported[number].values(), [])
        assert any(message in text for text in messages_for_row), (case, reported[number])
    assert set(reported) == {4 + i for i in range(len(BAD_ROWS))}  # the three good rows are not blamed
    assert Need.objects.count() == 0


def test_the_confirming_step_is_all_or_nothing_too(staff_client, qom):
    exhibition, shelf, buyers = qom
    response = preview(staff_client, xlsx(good_rows(buyers, count=5)))
    # Meanwhile someone puts another sample at place 3 of the shelf that row 3 uses.
    NeedFactory(buyer=buyers[0], exhibition=exhibition, shelf=shelf, shelf_position=3, display_consent=True)
    done = confirm(staff_client, response)
    sent = [(m.level, str(m)) for m in done.context["messages"]]
    assert sent[0][0] == messages.ERROR
    assert Need.objects.count() == 1


def test_an_id_of_a_tehran_need_cannot_be_updated_by_import(staff_client, qom):
    _exhibition, _shelf, buyers = qom
    tehran_need = NeedFactory(buyer=CompanyFactory(province=province("tehran")), title="نیاز تهران")
    row = dict(zip(HEADERS, good_rows(buyers, count=12)[11]))
    response = preview(staff_client, xlsx([[tehran_need.pk] + [row[h] for h in HEADERS]], headers=["id", *HEADERS]))
    errors = response.context["result"].invalid_rows[0].error_dict
    assert "No need with id" in errors["id"][0]
    tehran_need.refresh_from_db()
    assert tehran_need.title == "نیاز تهران"


def test_import_updates_own_needs_along_the_lifecycle_only(staff_client, qom):
    _exhibition, _shelf, buyers = qom
    need = NeedFactory(buyer=buyers[0], title="قدیمی")
    row = dict(zip(HEADERS, good_rows(buyers, count=12)[11]))
    row.update(title="به‌روز شده", status="contracted", buyer_national_id=buyers[0].national_id)
    response = preview(staff_client, xlsx([[need.pk] + [row[h] for h in HEADERS]], headers=["id", *HEADERS]))
    assert "status" in response.context["result"].invalid_rows[0].error_dict
    row.update(status="withdrawn")
    response = preview(staff_client, xlsx([[need.pk] + [row[h] for h in HEADERS]], headers=["id", *HEADERS]))
    confirm(staff_client, response)
    need.refresh_from_db()
    assert (need.title, need.status) == ("به‌روز شده", "withdrawn")


def test_csv_import_works_too(staff_client, qom):
    _exhibition, _shelf, buyers = qom
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in good_rows(buyers, count=3):
        writer.writerow([value.isoformat() if isinstance(value, datetime.date) else value for value in row])
    response = preview(staff_client, SimpleUploadedFile("needs.csv", out.getvalue().encode()), fmt="1")
    confirm(staff_client, response)
    assert Need.objects.count() == 3


def test_export_holds_only_the_staff_members_provinces(staff_client, qom):
    _exhibition, _shelf, buyers = qom
    NeedFactory(buyer=buyers[0], title="نیاز قم")
    NeedFactory(buyer=CompanyFactory(province=province("tehran")), title="نیاز تهران")
    response = staff_client.post(EXPORT_URL, {"format": "0", "resource": "0", "needresource_id": True,
                                              "needresource_title": True, "needresource_buyer_national_id": True})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["نیاز قم"]


def test_reasons_are_given_in_persian_in_the_persian_admin(staff_client, qom):
    _exhibition, _shelf, buyers = qom
    row = dict(zip(HEADERS, good_rows(buyers, count=12)[11]))
    row["sector"] = "aerospace"
    with translation.override("fa"):
        response = staff_client.post(reverse("admin:needs_need_import"), {
            "format": "0", "import_file": xlsx([[row[h] for h in HEADERS]]), "resource": "0",
        })
    errors = response.context["result"].invalid_rows[0].error_dict["sector"]
    assert errors == ["بخش «aerospace» وجود ندارد؛ نامک آن مانند auto-parts یا نام فارسی‌اش را بنویسید."]


def test_importing_a_withdrawal_frees_the_shelf_place_like_the_action(staff_client, qom):
    """A changed status in a row is a lifecycle step through need_change_status, as in the
    admin's form and actions: a withdrawn need's sample leaves its shelf."""
    exhibition, shelf, buyers = qom
    need = NeedFactory(buyer=buyers[0], exhibition=exhibition, shelf=shelf, shelf_position=4, display_consent=True,
                       status="on_display")
    row = dict(zip(HEADERS, good_rows(buyers, count=12)[11]))
    row.update(buyer_national_id=buyers[0].national_id, exhibition="qom-permanent", shelf="C-01", shelf_position=4,
               display_consent="1", status="withdrawn", title="پس گرفته شد")
    response = preview(staff_client, xlsx([[need.pk] + [row[h] for h in HEADERS]], headers=["id", *HEADERS]))
    assert not response.context["result"].has_validation_errors()
    confirm(staff_client, response)
    need.refresh_from_db()
    assert (need.title, need.status, need.shelf, need.shelf_position) == ("پس گرفته شد", "withdrawn", None, None)


# -- what the admin's own files carry back in ------------------------------------------------------
def export(client, fmt):
    """The admin's export of every column, as staff download it (format 0 is XLSX, 1 CSV)."""
    form = client.get(EXPORT_URL).context["form"]
    data = {"format": fmt, "resource": "0", **{name: True for name in form.fields if name.startswith("needresource_")}}
    response = client.post(EXPORT_URL, data)
    assert response.status_code == 200
    return response.content


def cells(content: bytes) -> list[list[tuple]]:
    """Every cell of the first sheet as openpyxl reads it: (value, data type)."""
    sheet = load_workbook(io.BytesIO(content)).active
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def stored_needs(qom):
    """Needs with every kind of cell: blanks, fractions, line breaks, a shelf place, each status."""
    exhibition, shelf, buyers = qom
    return [
        NeedFactory(buyer=buyers[0], exhibition=exhibition, shelf=shelf, shelf_position=3, display_consent=True,
                    status="on_display", description="نمونه در قفسه\nرنگ: مشکی"),
        NeedFactory(buyer=buyers[1], title="یاتاقان", title_en="", description="", hs_code="848210",
                    annual_quantity=Decimal("12.50"), annual_fx_usd=Decimal("1234567.89"), is_anonymous=True,
                    identified_on=datetime.date(2024, 3, 20)),
        NeedFactory(buyer=buyers[2], title="شیر صنعتی", status="withdrawn", origin_country="DE"),
    ]


def test_the_admins_xlsx_export_imports_back_unchanged_and_exports_the_same_cells(staff_client, stored_needs):
    first = export(staff_client, "0")
    response = preview(staff_client, SimpleUploadedFile("needs.xlsx", first))
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), (
        [str(e.error) for _n, errors in result.row_errors() for e in errors], result.invalid_rows
    )
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, len(stored_needs))

    with translation.override("en"):
        done = confirm(staff_client, response)
    assert [str(m) for m in done.context["messages"]] == [
        "Import of needs finished: 0 new, 0 updated, 0 deleted and 3 unchanged."
    ]
    second = export(staff_client, "0")
    assert cells(second) == cells(first)


def test_numbers_and_dates_are_typed_cells_in_the_xlsx_export(staff_client, stored_needs):
    header, *rows = cells(export(staff_client, "0"))
    columns = [value for value, _type in header]
    row = dict(zip(columns, next(r for r in rows if r[0][0] == stored_needs[0].pk)))
    for column in ("id", "annual_quantity", "annual_fx_usd", "shelf_position"):
        assert row[column][1] == "n", column
    assert row["identified_on"] == (datetime.datetime(2025, 10, 10), "d")
    assert row["annual_fx_usd"][0] == 250000
    # Codes stay text, so no leading zero is lost.
    assert row["buyer_national_id"] == (stored_needs[0].buyer.national_id, "s")
    assert row["hs_code"] == ("870830", "s")


def test_wholly_blank_rows_are_ignored(staff_client, qom):
    _exhibition, _shelf, buyers = qom
    rows = good_rows(buyers, count=3)
    blank = [None] * len(HEADERS)
    spaces = [" "] * len(HEADERS)
    response = preview(staff_client, xlsx([rows[0], blank, rows[1], spaces, rows[2], blank]))
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    confirm(staff_client, response)
    assert Need.objects.count() == 3


def test_imported_text_is_normalised_like_typed_text(staff_client, qom):
    _exhibition, _shelf, buyers = qom
    row = dict(zip(HEADERS, good_rows(buyers, count=12)[11]))
    row.update(title="  كيسه پلاستيكي ", title_en=" Industrial Bags ", hs_code=" ۳۹۲۳۲۱ ")
    response = preview(staff_client, xlsx([[row[h] for h in HEADERS] + [" ي‌ك\nخط ۲  "]],
                                          headers=[*HEADERS, "description"]))
    confirm(staff_client, response)
    need = Need.objects.get()
    assert (need.title, need.title_en, need.hs_code) == ("کیسه پلاستیکی", "Industrial Bags", "392321")
    # As typed otherwise: the zero-width non-joiner, the line break and the Persian digit stay.
    assert need.description == "ی‌ک\nخط ۲"


def test_the_csv_export_starts_with_a_byte_order_mark_and_imports_back_unchanged(staff_client, stored_needs):
    content = export(staff_client, "1")
    assert content.startswith(codecs.BOM_UTF8)
    assert "یاتاقان" in content.decode("utf-8-sig")
    response = preview(staff_client, SimpleUploadedFile("needs.csv", content), fmt="1")
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, len(stored_needs))
