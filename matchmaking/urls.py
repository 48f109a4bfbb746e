from django.urls import path

app_name = "matchmaking"

urlpatterns: list = []
