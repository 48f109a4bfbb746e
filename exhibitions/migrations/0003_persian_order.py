"""Provinces, towns, exhibitions and meeting rooms listed in Persian alphabetical order
(core.collation)."""

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_persian_collation'),
        ('exhibitions', '0002_provinces_and_towns'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='exhibition',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('province__name_fa'), 'fa_persian'), django.db.models.functions.comparison.Collate(models.F('title_fa'), 'fa_persian')], 'verbose_name': 'exhibition', 'verbose_name_plural': 'exhibitions'},
        ),
        migrations.AlterModelOptions(
            name='industrialtown',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('province__name_fa'), 'fa_persian'), django.db.models.functions.comparison.Collate(models.F('name_fa'), 'fa_persian')], 'verbose_name': 'industrial town', 'verbose_name_plural': 'industrial towns'},
        ),
        migrations.AlterModelOptions(
            name='meetingroom',
            options={'ordering': ['exhibition', django.db.models.functions.comparison.Collate(models.F('name'), 'fa_persian')], 'verbose_name': 'meeting room', 'verbose_name_plural': 'meeting rooms'},
        ),
        migrations.AlterModelOptions(
            name='province',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('name_fa'), 'fa_persian')], 'verbose_name': 'province', 'verbose_name_plural': 'provinces'},
        ),
    ]
