"""The OpenAPI description and the docs page."""

from __future__ import annotations

import re

import yaml
from drf_spectacular.validation import validate_schema


def test_schema_is_valid_openapi_3_with_every_operation_secured_and_its_problems(client, db):
    response = client.get("/api/v1/schema")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # the OpenAPI 3 meta-schema; raises on any violation
    operations = [
        (path, method, op) for path, ops in schema["paths"].items() for method, op in ops.items()
    ]
    assert len(operations) >= 17
    for path, method, op in operations:
        assert path.startswith("/api/v1/"), path
        (requirement,) = op["security"]
        assert list(requirement) == ["partnerOAuth"], path
        assert requirement["partnerOAuth"], path
        for code in ("401", "403", "404", "429", "500"):
            content = op["responses"][code]["content"]
            assert list(content) == ["application/problem+json"], (path, method, code)
    flow = schema["components"]["securitySchemes"]["partnerOAuth"]["flows"]
    assert flow["clientCredentials"]["tokenUrl"] == "/o/token/"
    assert "training" in flow["clientCredentials"]["scopes"]


def test_docs_are_served_by_the_app_without_a_cdn(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources, page
    assert all(not s.startswith(("http:", "https:", "//")) for s in sources), sources
    assert any("drf_spectacular_sidecar" in s for s in sources)
    for source in sources:
        if source.startswith("/static/"):
            assert client.get(source).status_code == 200, source
