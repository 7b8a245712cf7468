from django.contrib.auth import views as auth_views
from django.urls import path

from phoihop.accounts import token_views, twofactor_views, views

app_name = "accounts"

urlpatterns = [
    path("users/", views.user_list, name="user-list"),
    path("users/new/", views.user_create, name="user-create"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/roles/", views.role_add, name="role-add"),
    path("users/<int:pk>/roles/<int:assignment_pk>/end/", views.role_end, name="role-end"),
    path("users/<int:pk>/password-reset/", views.password_reset, name="password-reset"),
    path("users/<int:pk>/toggle-active/", views.user_toggle_active, name="user-toggle-active"),
    path("users/<int:pk>/tokens/revoke-all/", token_views.user_tokens_revoke_all, name="user-tokens-revoke-all"),
    path("tokens/<str:token_id>/revoke/", token_views.token_revoke, name="token-revoke"),
    path("users/<int:pk>/unlock/", twofactor_views.user_unlock, name="user-unlock"),
    path("users/<int:pk>/two-factor-reset/", twofactor_views.user_two_factor_reset, name="user-two-factor-reset"),
]

# Sign-in pages keep Django's names (login, logout, password_change) outside the namespace.
auth_urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/", twofactor_views.manage, name="two-factor"),
    path("two-factor/verify/", twofactor_views.verify, name="two-factor-verify"),
    path("two-factor/setup/", twofactor_views.setup, name="two-factor-setup"),
    path("two-factor/backup-codes/", twofactor_views.backup_codes, name="two-factor-backup-codes"),
]
