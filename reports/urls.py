from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("funnel/", views.funnel_page, name="funnel"),
    path("funnel/export.<str:fmt>", views.funnel_export, name="funnel-export"),
]
