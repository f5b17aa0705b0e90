from django.contrib.auth import views as auth_views
from django.urls import path

from . import token_views, views
from .twofactor import views as two_factor

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("tokens/", token_views.api_tokens_view, name="api_tokens"),
    path("collect/", token_views.collect_view, name="collect"),
    path(
        "tokens/revoke-all/",
        token_views.api_tokens_revoke_all_view,
        name="api_tokens_revoke_all",
    ),
    path(
        "tokens/<uuid:token_id>/revoke/",
        token_views.api_token_revoke_view,
        name="api_token_revoke",
    ),
    path(
        "users/<uuid:public_id>/tokens/revoke-all/",
        token_views.api_tokens_revoke_all_view,
        name="user_api_tokens_revoke_all",
    ),
    path(
        "users/<uuid:public_id>/tokens/<uuid:token_id>/revoke/",
        token_views.api_token_revoke_view,
        name="user_api_token_revoke",
    ),
    path("two-factor/", two_factor.two_factor_view, name="two_factor"),
    path("two-factor/verify/", two_factor.two_factor_verify_view, name="two_factor_verify"),
    path(
        "two-factor/recovery-codes/",
        two_factor.recovery_codes_view,
        name="two_factor_recovery_codes",
    ),
    path("two-factor/disable/", two_factor.two_factor_disable_view, name="two_factor_disable"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<uuid:public_id>/", views.user_edit_view, name="user_edit"),
    path(
        "users/<uuid:public_id>/two-factor/reset/",
        two_factor.user_two_factor_reset_view,
        name="user_two_factor_reset",
    ),
]
