"""Page-numbered lists: `page` and `page_size` (at most 200)."""

from __future__ import annotations

from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from skillspassport.api.problems import Problem


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        """`page_size` from 1 to 200 (50 when not given); anything else is a 400 problem."""
        for name in (self.page_query_param, self.page_size_query_param):
            value = request.query_params.get(name)
            if value is not None and not (value.isascii() and value.isdecimal()):
                raise Problem(
                    400, f"{name} must be a whole number.", errors={name: ["Enter a whole number."]}
                )
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        size = int(value)
        if not 1 <= size <= self.max_page_size:
            raise Problem(
                400,
                f"page_size must be from 1 to {self.max_page_size}.",
                errors={"page_size": [f"Enter a number from 1 to {self.max_page_size}."]},
            )
        return size

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] |= {"minimum": 1, "maximum": self.max_page_size}
            if parameter["name"] == self.page_query_param:
                parameter["schema"] |= {"minimum": 1}
        return parameters

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        body = super().get_paginated_response_schema(schema)
        body["required"] = ["count", "next", "previous", "results"]
        return body
