"""Oversized requests are refused from their Content-Length, before the body is read."""

from __future__ import annotations

import time

import pytest

MB = 1024 * 1024


def send(client, path, length):
    return client.generic(
        "POST", path, b"", content_type="application/json", CONTENT_LENGTH=str(length)
    )


@pytest.mark.parametrize(
    "path", ["/credentials/verify", "/presentations/verify", "/credentials/issue"]
)
def test_a_200_mb_api_request_gets_a_json_413_at_once(client, db, path):
    started = time.perf_counter()
    response = send(client, path, 200 * MB)
    assert time.perf_counter() - started < 1
    assert response.status_code == 413
    assert "larger than" in response.json()["errors"][0]


def test_a_200_mb_upload_to_the_verify_page_gets_a_page_saying_so(client, db):
    response = client.generic(
        "POST",
        "/verify/",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * MB),
    )
    assert response.status_code == 413
    assert "too large" in response.content.decode()


def test_other_pages_take_up_to_the_general_limit(client, adviser, settings):
    client.force_login(adviser)
    assert send(client, "/residents/", settings.MAX_REQUEST_BYTES + 1).status_code == 413
    # Under the limit the request reaches the view (which then refuses an empty POST its own way).
    assert send(client, "/residents/", 10).status_code != 413
