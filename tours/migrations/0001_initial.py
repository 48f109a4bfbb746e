"""Tour and TourRegistration move here from matchmaking, state only: same tables, same rows."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('matchmaking', '0005_meeting_overlap_guard'),
        ('companies', '0002_sectors'),
        ('exhibitions', '0002_provinces_and_towns'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay where they are (db_table): only Django's picture of which
            # app owns the models changes.
            state_operations=[
                migrations.CreateModel(
                    name='Tour',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('organiser_name', models.CharField(blank=True, help_text='Association, chamber or office running the tour.', max_length=200, verbose_name='organising body')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('starts_at', models.DateTimeField(verbose_name='starts at')),
                        ('ends_at', models.DateTimeField(verbose_name='ends at')),
                        ('capacity', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)], verbose_name='seats')),
                        ('meeting_point', models.CharField(max_length=300, verbose_name='meeting point')),
                        ('registration_deadline', models.DateTimeField(verbose_name='registration deadline')),
                        ('language', models.CharField(choices=[('fa', 'Persian'), ('en', 'English')], default='fa', max_length=2, verbose_name='language')),
                        ('status', models.CharField(choices=[('scheduled', 'Scheduled'), ('cancelled', 'Cancelled'), ('held', 'Held')], default='scheduled', max_length=10, verbose_name='status')),
                        ('series', models.UUIDField(blank=True, db_index=True, editable=False, null=True, verbose_name='series')),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True, verbose_name='cancelled at')),
                        ('cancel_reason', models.CharField(blank=True, max_length=300, verbose_name='reason for cancelling')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('exhibition', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='tours', to='exhibitions.exhibition', verbose_name='exhibition')),
                        ('organiser', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='organised_tours', to=settings.AUTH_USER_MODEL, verbose_name='organiser')),
                        ('sectors', models.ManyToManyField(blank=True, related_name='tours', to='companies.sector', verbose_name='sectors of focus')),
                    ],
                    options={
                        'verbose_name': 'tour',
                        'verbose_name_plural': 'tours',
                        'db_table': 'matchmaking_tour',
                        'ordering': ['starts_at'],
                    },
                ),
                migrations.CreateModel(
                    name='TourRegistration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('attendees', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name='number of attendees')),
                        ('attendee_names', models.TextField(blank=True, help_text='One name per line.', verbose_name='attendee names')),
                        ('status', models.CharField(choices=[('confirmed', 'Confirmed'), ('waitlisted', 'Waitlisted'), ('cancelled', 'Cancelled')], default='confirmed', max_length=10, verbose_name='status')),
                        ('attended', models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='attended')),
                        ('checked_in_at', models.DateTimeField(blank=True, null=True, verbose_name='checked in at')),
                        ('reminder_sent_at', models.DateTimeField(blank=True, null=True, verbose_name='reminder sent at')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('company', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tour_registrations', to='companies.company', verbose_name='company')),
                        ('registered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registered by')),
                        ('tour', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='registrations', to='tours.tour', verbose_name='tour')),
                    ],
                    options={
                        'verbose_name': 'tour registration',
                        'verbose_name_plural': 'tour registrations',
                        'db_table': 'matchmaking_tourregistration',
                        'ordering': ['tour', 'created_at', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='tour',
                    index=models.Index(fields=['exhibition', 'starts_at'], name='tour_exhibition_time_idx'),
                ),
                migrations.AddConstraint(
                    model_name='tour',
                    constraint=models.CheckConstraint(condition=models.Q(('ends_at__gt', models.F('starts_at'))), name='tour_ends_after_start', violation_error_message='A tour must end after it starts.'),
                ),
                migrations.AddConstraint(
                    model_name='tour',
                    constraint=models.CheckConstraint(condition=models.Q(('registration_deadline__lte', models.F('starts_at'))), name='tour_deadline_before_start', violation_error_message='Registration must close before the tour starts.'),
                ),
                migrations.AddConstraint(
                    model_name='tour',
                    constraint=models.CheckConstraint(condition=models.Q(('capacity__gte', 1)), name='tour_has_seats', violation_error_message='A tour needs at least one seat.'),
                ),
                migrations.AddIndex(
                    model_name='tourregistration',
                    index=models.Index(fields=['tour', 'status', 'created_at'], name='tourreg_queue_idx'),
                ),
                migrations.AddConstraint(
                    model_name='tourregistration',
                    constraint=models.UniqueConstraint(fields=('tour', 'company'), name='tour_one_registration_per_company', violation_error_message='This company is already registered for this tour.'),
                ),
                migrations.AddConstraint(
                    model_name='tourregistration',
                    constraint=models.CheckConstraint(condition=models.Q(('attendees__gte', 1)), name='tour_registration_attendees_positive'),
                ),
                migrations.AddConstraint(
                    model_name='tourregistration',
                    constraint=models.CheckConstraint(condition=models.Q(('attended__isnull', True), ('attended__lte', models.F('attendees')), _connector='OR'), name='tour_registration_attended_within_registered', violation_error_message='More people attended than were registered.'),
                ),
    
            ],
        ),
    ]
