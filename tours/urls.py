"""Tour pages: the public list and tour page, registration, and the organiser's desk."""

from django.urls import path

from tours import views

app_name = "tours"

urlpatterns = [
    path("tours/", views.tour_list, name="list"),
    path("tours/new/", views.tour_create, name="create"),
    path("tours/organise/", views.tour_organise, name="organise"),
    path("tours/<int:pk>/", views.tour_detail, name="detail"),
    path("tours/<int:pk>/register/", views.tour_register, name="register"),
    path("tours/<int:pk>/registration/cancel/", views.registration_cancel, name="registration-cancel"),
    path("tours/<int:pk>/registration.ics", views.registration_ics, name="registration-ics"),
    path("tours/<int:pk>/roster/", views.tour_roster, name="roster"),
    path("tours/<int:pk>/roster.csv", views.tour_roster_csv, name="roster-csv"),
    path("tours/<int:pk>/roster/<int:registration_pk>/attendance/", views.attendance_mark, name="attendance"),
    path("tours/<int:pk>/cancel/", views.tour_cancel, name="cancel"),
    path("tours/<int:pk>/messages/", views.tour_message, name="message"),
    path("tours/check-in/<str:code>/", views.registration_check_in, name="check-in"),
    path("tours/series/<uuid:series>/", views.tour_series, name="series"),
]
