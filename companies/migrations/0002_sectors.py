"""The programme's ten sectors; the slugs are a contract (docs/design.md section 4)."""

from django.db import migrations

SECTORS = [
    ('textile', 'نساجی', 'Textiles', 1, '#7b4b94'),
    ('cellulose', 'سلولزی', 'Cellulose and paper', 2, '#8a6d3b'),
    ('metal', 'فلزی', 'Metal products', 3, '#4f6d7a'),
    ('auto-parts', 'قطعات خودرو', 'Auto parts', 4, '#c0392b'),
    ('cosmetics-hygiene', 'آرایشی و بهداشتی', 'Cosmetics and hygiene', 5, '#d35489'),
    ('chemical', 'شیمیایی', 'Chemicals', 6, '#2e86ab'),
    ('food', 'غذایی', 'Food', 7, '#5b8c2a'),
    ('electrical-electronics', 'برق و الکترونیک', 'Electrical and electronics', 8, '#e0a800'),
    ('oil-gas', 'نفت و گاز', 'Oil and gas', 9, '#34495e'),
    ('steel-mining', 'فولاد و معدن', 'Steel and mining', 10, '#7f8c8d'),
]


def load(apps, schema_editor):
    Sector = apps.get_model("companies", "Sector")
    for slug, name_fa, name_en, order, colour in SECTORS:
        Sector.objects.update_or_create(
            slug=slug, defaults={"name_fa": name_fa, "name_en": name_en, "order": order, "colour": colour}
        )


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
