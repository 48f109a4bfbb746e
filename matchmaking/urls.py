from django.urls import path

from matchmaking import views_tours

app_name = "matchmaking"

urlpatterns: list = []

urlpatterns += [
    path("tours/", views_tours.tour_list, name="tour-list"),
    path("tours/new/", views_tours.tour_create, name="tour-create"),
    path("tours/organise/", views_tours.tour_organise, name="tour-organise"),
    path("tours/<int:pk>/", views_tours.tour_detail, name="tour-detail"),
    path("tours/<int:pk>/register/", views_tours.tour_register, name="tour-register"),
    path("tours/<int:pk>/registration/cancel/", views_tours.registration_cancel, name="tour-registration-cancel"),
    path("tours/<int:pk>/registration.ics", views_tours.registration_ics, name="tour-registration-ics"),
    path("tours/<int:pk>/roster/", views_tours.tour_roster, name="tour-roster"),
    path("tours/<int:pk>/roster.csv", views_tours.tour_roster_csv, name="tour-roster-csv"),
    path("tours/<int:pk>/roster/<int:registration_pk>/attendance/", views_tours.attendance_mark, name="tour-attendance"),
    path("tours/<int:pk>/cancel/", views_tours.tour_cancel, name="tour-cancel"),
]
