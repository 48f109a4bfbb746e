from django.urls import path

from exhibitions import views

app_name = "exhibitions"

urlpatterns = [
    path("", views.exhibition_list_view, name="list"),
    path("<slug:slug>/", views.exhibition_detail_view, name="detail"),
]
