"""Reference data every database needs: the 31 provinces (slugs are a contract, see
docs/design.md) with a tile-map position, and the industrial towns hosting the exhibitions."""

from django.db import migrations

PROVINCES = [
    ('east-azerbaijan', 'آذربایجان شرقی', 'East Azerbaijan', 2, 0),
    ('west-azerbaijan', 'آذربایجان غربی', 'West Azerbaijan', 1, 0),
    ('ardabil', 'اردبیل', 'Ardabil', 3, 0),
    ('isfahan', 'اصفهان', 'Isfahan', 5, 3),
    ('alborz', 'البرز', 'Alborz', 4, 2),
    ('ilam', 'ایلام', 'Ilam', 1, 3),
    ('bushehr', 'بوشهر', 'Bushehr', 3, 5),
    ('tehran', 'تهران', 'Tehran', 5, 2),
    ('chaharmahal-bakhtiari', 'چهارمحال و بختیاری', 'Chaharmahal and Bakhtiari', 2, 4),
    ('south-khorasan', 'خراسان جنوبی', 'South Khorasan', 6, 2),
    ('razavi-khorasan', 'خراسان رضوی', 'Razavi Khorasan', 6, 1),
    ('north-khorasan', 'خراسان شمالی', 'North Khorasan', 6, 0),
    ('khuzestan', 'خوزستان', 'Khuzestan', 1, 4),
    ('zanjan', 'زنجان', 'Zanjan', 2, 1),
    ('semnan', 'سمنان', 'Semnan', 5, 1),
    ('sistan-baluchestan', 'سیستان و بلوچستان', 'Sistan and Baluchestan', 6, 4),
    ('fars', 'فارس', 'Fars', 4, 4),
    ('qazvin', 'قزوین', 'Qazvin', 3, 2),
    ('qom', 'قم', 'Qom', 4, 3),
    ('kurdistan', 'کردستان', 'Kurdistan', 1, 1),
    ('kerman', 'کرمان', 'Kerman', 5, 4),
    ('kermanshah', 'کرمانشاه', 'Kermanshah', 1, 2),
    ('kohgiluyeh-boyer-ahmad', 'کهگیلویه و بویراحمد', 'Kohgiluyeh and Boyer-Ahmad', 3, 4),
    ('golestan', 'گلستان', 'Golestan', 5, 0),
    ('gilan', 'گیلان', 'Gilan', 3, 1),
    ('lorestan', 'لرستان', 'Lorestan', 2, 3),
    ('mazandaran', 'مازندران', 'Mazandaran', 4, 1),
    ('markazi', 'مرکزی', 'Markazi', 3, 3),
    ('hormozgan', 'هرمزگان', 'Hormozgan', 5, 5),
    ('hamadan', 'همدان', 'Hamadan', 2, 2),
    ('yazd', 'یزد', 'Yazd', 6, 3),
]

TOWNS = [
    ('east-azerbaijan', 'شهرک صنعتی شهید سلیمی تبریز', 'Shahid Salimi Industrial Town (Tabriz)'),
    ('east-azerbaijan', 'شهرک صنعتی شهید رجایی تبریز', 'Shahid Rajaei Industrial Town (Tabriz)'),
    ('west-azerbaijan', 'شهرک صنعتی ارومیه', 'Urmia Industrial Town'),
    ('ardabil', 'شهرک صنعتی اردبیل', 'Ardabil Industrial Town'),
    ('isfahan', 'شهرک صنعتی محمودآباد', 'Mahmudabad Industrial Town'),
    ('isfahan', 'شهرک صنعتی جی', 'Jey Industrial Town'),
    ('isfahan', 'شهرک صنعتی مورچه\u200cخورت', 'Murchekhort Industrial Town'),
    ('alborz', 'شهرک صنعتی اشتهارد', 'Eshtehard Industrial Town'),
    ('alborz', 'شهرک صنعتی سیمین\u200cدشت', 'Simindasht Industrial Town'),
    ('ilam', 'شهرک صنعتی ایلام', 'Ilam Industrial Town'),
    ('bushehr', 'شهرک صنعتی بوشهر', 'Bushehr Industrial Town'),
    ('tehran', 'شهرک صنعتی عباس\u200cآباد', 'Abbasabad Industrial Town'),
    ('tehran', 'شهرک صنعتی شمس\u200cآباد', 'Shamsabad Industrial Town'),
    ('tehran', 'شهرک صنعتی خوارزمی', 'Kharazmi Industrial Town'),
    ('chaharmahal-bakhtiari', 'شهرک صنعتی شهرکرد', 'Shahrekord Industrial Town'),
    ('south-khorasan', 'شهرک صنعتی بیرجند', 'Birjand Industrial Town'),
    ('razavi-khorasan', 'شهرک صنعتی توس', 'Toos Industrial Town'),
    ('razavi-khorasan', 'شهرک صنعتی چناران', 'Chenaran Industrial Town'),
    ('north-khorasan', 'شهرک صنعتی بجنورد', 'Bojnurd Industrial Town'),
    ('khuzestan', 'شهرک صنعتی اهواز', 'Ahvaz Industrial Town'),
    ('zanjan', 'شهرک صنعتی علی\u200cآباد زنجان', 'Aliabad Industrial Town (Zanjan)'),
    ('semnan', 'شهرک صنعتی سمنان', 'Semnan Industrial Town'),
    ('sistan-baluchestan', 'شهرک صنعتی زاهدان', 'Zahedan Industrial Town'),
    ('fars', 'شهرک صنعتی بزرگ شیراز', 'Shiraz Grand Industrial Town'),
    ('qazvin', 'شهرک صنعتی البرز قزوین', 'Alborz Industrial Town (Qazvin)'),
    ('qazvin', 'شهرک صنعتی لیا', 'Liya Industrial Town'),
    ('qom', 'شهرک صنعتی شکوهیه', 'Shokuhiyeh Industrial Town'),
    ('qom', 'شهرک صنعتی سلفچگان', 'Salafchegan Industrial Town'),
    ('kurdistan', 'شهرک صنعتی سنندج', 'Sanandaj Industrial Town'),
    ('kerman', 'شهرک صنعتی شماره یک کرمان', 'Kerman Industrial Town No. 1'),
    ('kermanshah', 'شهرک صنعتی کرمانشاه', 'Kermanshah Industrial Town'),
    ('kohgiluyeh-boyer-ahmad', 'شهرک صنعتی یاسوج', 'Yasuj Industrial Town'),
    ('golestan', 'شهرک صنعتی آق\u200cقلا', 'Aq Qala Industrial Town'),
    ('gilan', 'شهرک صنعتی رشت', 'Rasht Industrial Town'),
    ('lorestan', 'شهرک صنعتی خرم\u200cآباد', 'Khorramabad Industrial Town'),
    ('mazandaran', 'شهرک صنعتی بابل', 'Babol Industrial Town'),
    ('markazi', 'شهرک صنعتی خیرآباد اراک', 'Kheyrabad Industrial Town (Arak)'),
    ('markazi', 'شهرک صنعتی کاوه ساوه', 'Kaveh Industrial Town (Saveh)'),
    ('hormozgan', 'شهرک صنعتی بندرعباس', 'Bandar Abbas Industrial Town'),
    ('hamadan', 'شهرک صنعتی بوعلی همدان', 'Bu-Ali Industrial Town (Hamadan)'),
    ('yazd', 'شهرک صنعتی یزد', 'Yazd Industrial Town'),
]


def load(apps, schema_editor):
    Province = apps.get_model("exhibitions", "Province")
    IndustrialTown = apps.get_model("exhibitions", "IndustrialTown")
    by_slug = {}
    for slug, name_fa, name_en, col, row in PROVINCES:
        by_slug[slug], _ = Province.objects.update_or_create(
            slug=slug, defaults={"name_fa": name_fa, "name_en": name_en, "map_col": col, "map_row": row}
        )
    for slug, name_fa, name_en in TOWNS:
        IndustrialTown.objects.update_or_create(
            province=by_slug[slug], name_fa=name_fa, defaults={"name_en": name_en}
        )


class Migration(migrations.Migration):
    dependencies = [("exhibitions", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
