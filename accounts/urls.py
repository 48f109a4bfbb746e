"""Sign-up with e-mail confirmation and Django's auth views, styled for the portal."""

from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/signup/", views.signup, name="signup"),
    path("account/confirm/<uidb64>/<token>/", views.activate, name="activate"),
    path("account/login/", views.LoginView.as_view(), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("account/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path(
        "account/password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "account/password-reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
]
