from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("alerts/", views.saved_search_list, name="list"),
    path("alerts/new/", views.saved_search_new, name="new"),
    path("alerts/<int:pk>/delete/", views.saved_search_delete_view, name="delete"),
    path("alerts/<int:pk>/subscription/", views.saved_search_subscription, name="subscription"),
    # The digest's one-click unsubscribe (a signed token, no sign-in; RFC 8058 POSTs here).
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
