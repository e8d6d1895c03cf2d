from django.urls import path

from skillspassport.staff import views

app_name = "staff"
urlpatterns = [
    path("sign-in", views.SignInView.as_view(), name="sign-in"),
    path("sign-out", views.SignOutView.as_view(), name="sign-out"),
    # Open to anyone (LoginRequiredMiddleware lets /sign-in… through): forgotten passwords.
    path("sign-in/reset-password", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "sign-in/reset-password/sent",
        views.PasswordResetSentView.as_view(),
        name="password-reset-sent",
    ),
    path(
        "sign-in/choose-password/<uidb64>/<token>",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path(
        "sign-in/choose-password/done",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path("account/password", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "account/password/changed",
        views.PasswordChangeDoneView.as_view(),
        name="password-change-done",
    ),
    path("organisation/users/", views.user_list, name="users"),
    path("organisation/users/invite", views.user_invite, name="user-invite"),
    path("organisation/users/<int:user_id>/", views.user_detail, name="user-detail"),
    path(
        "organisation/users/<int:user_id>/roles/add",
        views.membership_add,
        name="membership-add",
    ),
    path(
        "organisation/users/<int:user_id>/roles/<int:membership_id>/change",
        views.membership_change,
        name="membership-change",
    ),
    path(
        "organisation/users/<int:user_id>/roles/<int:membership_id>/remove",
        views.membership_remove,
        name="membership-remove",
    ),
    path(
        "organisation/users/<int:user_id>/<str:action>",
        views.user_access,
        name="user-access",
    ),
]
