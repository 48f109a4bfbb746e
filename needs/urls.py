from django.urls import path

app_name = "needs"

urlpatterns: list = []
