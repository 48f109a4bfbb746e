from django.urls import path

from needs import views

app_name = "needs"

urlpatterns = [
    path("", views.need_list_view, name="list"),
    path("<int:pk>/", views.need_detail_view, name="detail"),
]
