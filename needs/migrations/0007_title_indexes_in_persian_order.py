"""The catalogue's title sort is in Persian order (core.collation): its indexes compare the
Persian title with the fa_persian collation, so PostgreSQL can still answer the sort from them."""

import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_persian_collation'),
        ('companies', '0004_company_persian_order'),
        ('exhibitions', '0003_persian_order'),
        ('needs', '0006_title_sort_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='need',
            name='need_title_idx',
        ),
        migrations.RemoveIndex(
            model_name='need',
            name='need_title_en_idx',
        ),
        migrations.AddIndex(
            model_name='need',
            index=models.Index(django.db.models.functions.comparison.Collate(models.F('title'), 'fa_persian'), models.F('id'), name='need_title_idx'),
        ),
        migrations.AddIndex(
            model_name='need',
            index=models.Index(models.F('title_en'), django.db.models.functions.comparison.Collate(models.F('title'), 'fa_persian'), models.F('id'), name='need_title_en_idx'),
        ),
    ]
