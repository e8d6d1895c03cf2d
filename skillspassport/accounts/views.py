from __future__ import annotations

from django.contrib.auth import views as auth_views

from skillspassport.accounts.forms import SignInForm


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    template_name = "accounts/signed_out.html"
