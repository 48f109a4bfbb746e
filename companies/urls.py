from django.urls import path

from companies import views

app_name = "companies"

urlpatterns = [
    path("companies/", views.company_list_view, name="list"),
    path("companies/<int:pk>/", views.company_detail_view, name="detail"),
    path("account/company/", views.company_register_view, name="register"),
    path("account/company/verification/", views.company_verification_request_view, name="verification-request"),
    path("account/members/<int:pk>/", views.member_decide, name="member-decide"),
    path("account/company/profile/", views.company_profile_view, name="profile"),
    path("account/company/products/new/", views.product_edit_view, name="product-add"),
    path("account/company/products/<int:pk>/", views.product_edit_view, name="product-edit"),
    path("account/company/certificates/new/", views.certificate_edit_view, name="certificate-add"),
    path("account/company/certificates/<int:pk>/", views.certificate_edit_view, name="certificate-edit"),
    path("account/company/<str:kind>/<int:pk>/remove/", views.profile_item_delete_view, name="profile-item-delete"),
]
