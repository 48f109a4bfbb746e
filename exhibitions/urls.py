from django.urls import path

app_name = "exhibitions"

urlpatterns: list = []
