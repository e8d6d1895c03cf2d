"""The request a staff view receives: LoginRequiredMiddleware lets no anonymous request reach
one, so `request.user` is a signed-in `User`. Annotate views with it instead of casting."""

from __future__ import annotations

from django.http import HttpRequest

from skillspassport.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
