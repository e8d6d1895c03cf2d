"""A friendly page, not a 500, while no skills framework has been loaded."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skillspassport.skills.selectors import NoFrameworkLoadedError


class SetupMissingMiddleware:
    """A clear page, not a server error, when the reference data has not been loaded yet."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NoFrameworkLoadedError):
            return render(request, "skills/not_set_up.html", status=503)
        return None
