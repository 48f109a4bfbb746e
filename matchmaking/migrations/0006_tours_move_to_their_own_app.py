"""Tours now live in their own app (tours/0001): matchmaking forgets the models, the
tables stay, and content types (and so permissions and audit entries) follow them."""

from django.db import migrations

MODELS = ("tour", "tourregistration")


def content_types_to_tours(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="tours", model__in=MODELS).delete()  # none unless migrate ran half-way
    ContentType.objects.filter(app_label="matchmaking", model__in=MODELS).update(app_label="tours")


def content_types_to_matchmaking(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="tours", model__in=MODELS).update(app_label="matchmaking")


class Migration(migrations.Migration):

    dependencies = [
        ('tours', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('matchmaking', '0005_meeting_overlap_guard'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (db_table): only Django's picture of which
            # app owns the models changes.
            state_operations=[
                migrations.RemoveField(
                    model_name='tourregistration',
                    name='tour',
                ),
                migrations.RemoveField(
                    model_name='tourregistration',
                    name='company',
                ),
                migrations.RemoveField(
                    model_name='tourregistration',
                    name='registered_by',
                ),
                migrations.DeleteModel(
                    name='Tour',
                ),
                migrations.DeleteModel(
                    name='TourRegistration',
                ),
    
            ],
        ),
        migrations.RunPython(content_types_to_tours, content_types_to_matchmaking),
    ]
