from django.urls import path

from django.contrib.auth import views as auth_views

from matchmaking import views_account, views_meetings, views_tours

app_name = "matchmaking"

# The account side: sign-up with email confirmation, Django's auth views (styled), the
# company a user acts for, and the /account/ dashboard.
urlpatterns: list = [
    path("account/", views_account.dashboard, name="account"),
    path("account/signup/", views_account.signup, name="signup"),
    path("account/confirm/<uidb64>/<token>/", views_account.activate, name="activate"),
    path("account/login/", views_account.LoginView.as_view(), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password-reset/", views_account.PasswordResetView.as_view(), name="password-reset"),
    path("account/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "account/password-reset/<uidb64>/<token>/", views_account.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "account/password-reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("account/company/", views_account.company_register_view, name="company-register"),
    path("account/members/<int:pk>/", views_account.member_decide, name="member-decide"),
]

# Readiness declarations, meetings, calendar files and outcomes.
urlpatterns += [
    path("account/needs/<int:pk>/declare/", views_meetings.interest_declare_view, name="interest-declare"),
    path("account/needs/<int:pk>/declarations/", views_meetings.need_declarations, name="need-declarations"),
    path("account/declarations/<int:pk>/", views_meetings.interest_detail, name="interest-detail"),
    path("account/declarations/<int:pk>/decide/", views_meetings.interest_decide_view, name="interest-decide"),
    path("account/declarations/<int:pk>/withdraw/", views_meetings.interest_withdraw_view, name="interest-withdraw"),
    path("account/declarations/<int:pk>/meeting/", views_meetings.meeting_propose_view, name="meeting-propose"),
    path("account/meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting-detail"),
    path("account/meetings/<int:pk>/respond/", views_meetings.meeting_respond_view, name="meeting-respond"),
    path("account/meetings/<int:pk>/counter/", views_meetings.meeting_counter_view, name="meeting-counter"),
    path("account/meetings/<int:pk>/cancel/", views_meetings.meeting_cancel_view, name="meeting-cancel"),
    path("account/meetings/<int:pk>/outcome/", views_meetings.meeting_outcome_view, name="meeting-outcome"),
    path("account/meetings/<int:pk>/meeting.ics", views_meetings.meeting_ics, name="meeting-ics"),
]

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
