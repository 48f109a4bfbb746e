from django.urls import path

from matchmaking import views

app_name = "matchmaking"

urlpatterns: list = [
    path("account/", views.dashboard, name="account"),
]

# Readiness declarations, meetings, calendar files and outcomes.
urlpatterns += [
    path("account/needs/<int:pk>/declare/", views.interest_declare_view, name="interest-declare"),
    path("account/needs/<int:pk>/declarations/", views.need_declarations, name="need-declarations"),
    path("account/needs/<int:pk>/invite/", views.invitation_send_view, name="invitation-send"),
    path("account/declarations/<int:pk>/", views.interest_detail, name="interest-detail"),
    path("account/declarations/<int:pk>/decide/", views.interest_decide_view, name="interest-decide"),
    path("account/declarations/<int:pk>/withdraw/", views.interest_withdraw_view, name="interest-withdraw"),
    path("account/declarations/<int:pk>/meeting/", views.meeting_propose_view, name="meeting-propose"),
    path("account/meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("account/meetings/<int:pk>/respond/", views.meeting_respond_view, name="meeting-respond"),
    path("account/meetings/<int:pk>/counter/", views.meeting_counter_view, name="meeting-counter"),
    path("account/meetings/<int:pk>/cancel/", views.meeting_cancel_view, name="meeting-cancel"),
    path("account/meetings/<int:pk>/outcome/", views.meeting_outcome_view, name="meeting-outcome"),
    path("account/meetings/<int:pk>/meeting.ics", views.meeting_ics, name="meeting-ics"),
]

# The private calendar feed: its secret address, and making or turning it off on /account/.
urlpatterns += [
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("account/calendar/new/", views.calendar_feed_issue_view, name="calendar-feed-issue"),
    path("account/calendar/off/", views.calendar_feed_revoke_view, name="calendar-feed-revoke"),
]

# A company's coming meetings and tours as one file (its agenda is on /account/).
urlpatterns += [
    path("account/agenda.ics", views.account_agenda_ics, name="account-agenda-ics"),
]

# The event-day agenda of an exhibition, for the staff serving its province.
urlpatterns += [
    path("staff/exhibitions/<slug:slug>/agenda/", views.exhibition_agenda_pick, name="exhibition-agenda-pick"),
    path("staff/exhibitions/<slug:slug>/agenda/<str:day>/", views.exhibition_agenda, name="exhibition-agenda"),
    path("staff/exhibitions/<slug:slug>/agenda/<str:day>/doors/", views.exhibition_agenda_doors,
         name="exhibition-agenda-doors"),
]
