from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from distributions.views.printing import verify
from projects.urls import envelope_patterns
from reintegration.forms import PasswordResetForm
from reintegration.views import accounts, centres, second_factor, users

centre_patterns = (
    [
        path("", centres.centre_list_view, name="list"),
        path("new/", centres.centre_create, name="create"),
        path("<int:pk>/", centres.centre_detail, name="detail"),
        path("<int:pk>/edit/", centres.centre_edit, name="edit"),
    ],
    "centres",
)

user_patterns = (
    [
        path("", users.user_list_view, name="list"),
        path("new/", users.user_create_view, name="create"),
        path("<int:pk>/", users.user_edit, name="edit"),
        path("<int:pk>/password/", users.user_password, name="set_password"),
        path("<int:pk>/second-factor/reset/", second_factor.user_second_factor_reset, name="second_factor_reset"),
    ],
    "users",
)

account_patterns = [
    path("login/", second_factor.SignInView.as_view(), name="login"),
    path("second-factor/", second_factor.otp_verify, name="otp_verify"),
    path("second-factor/setup/", second_factor.otp_enrol, name="otp_enrol"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(form_class=PasswordResetForm), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("", include("reports.urls")),
    path("cases/", include("beneficiaries.urls")),
    path("projects/", include("projects.urls")),
    path("envelopes/", include(envelope_patterns)),
    path("distributions/", include("distributions.urls")),
    path("verify/<str:token>/", verify, name="verify"),
    path("jobs/", include("jobs.urls")),
    path("imports/", include("imports.urls")),
    path("accounts/", include(account_patterns)),
    path("language/", accounts.set_language, name="set_language"),
    path("centres/", include(centre_patterns)),
    path("users/", include(user_patterns)),
    path("admin/", admin.site.urls),
]
