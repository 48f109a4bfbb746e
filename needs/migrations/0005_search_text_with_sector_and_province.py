"""Need.search_text now also holds the sector and province names (see
Need.build_search_text), so the catalogue's text search is one indexed column. Recompute it
for the rows already stored, in batches."""

from django.db import migrations

from core.text import normalize_text


def recompute(apps, schema_editor):
    Need = apps.get_model("needs", "Need")
    batch = []
    for need in Need.objects.select_related("buyer", "sector", "province").iterator(chunk_size=2000):
        buyer = "" if need.is_anonymous else f"{need.buyer.name_fa} {need.buyer.name_en}"
        need.search_text = normalize_text(" ".join([
            need.title, need.title_en, need.description, need.description_en, need.hs_code, buyer,
            need.sector.name_fa, need.sector.name_en, need.province.name_fa, need.province.name_en,
        ]))
        batch.append(need)
        if len(batch) >= 2000:
            Need.objects.bulk_update(batch, ["search_text"])
            batch = []
    if batch:
        Need.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("needs", "0004_photo_field")]
    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
