from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("notifications/", views.inbox_view, name="inbox"),
    path("notifications/<int:pk>/open/", views.open_view, name="open"),
    path("notifications/read/", views.mark_all_read_view, name="mark-all-read"),
    path("notifications/settings/", views.preferences_view, name="preferences"),
]
