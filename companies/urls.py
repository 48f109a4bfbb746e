from django.urls import path

from companies import views

app_name = "companies"

urlpatterns = [
    path("companies/", views.company_list_view, name="list"),
    path("companies/<int:pk>/", views.company_detail_view, name="detail"),
    path("account/company/", views.company_register_view, name="register"),
    path("account/company/verification/", views.company_verification_request_view, name="verification-request"),
    path("account/members/<int:pk>/", views.member_decide, name="member-decide"),
]
