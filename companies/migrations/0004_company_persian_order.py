"""Companies listed in Persian alphabetical order (core.collation)."""

import django.db.models.functions.comparison
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_persian_collation'),
        ('companies', '0003_company_member_one_per_user'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='company',
            options={'ordering': [django.db.models.functions.comparison.Collate(models.F('name_fa'), 'fa_persian')], 'verbose_name': 'company', 'verbose_name_plural': 'companies'},
        ),
    ]
