"""A minimal HTTP/1.1 client for the denial-of-service checks (benchmarks/dos.py).

Raw sockets rather than http.client: a server may answer (and close) before a 200 MB body
is sent, and the time of that answer is what is measured.
"""

from __future__ import annotations

import json
import re
import secrets
import select
import socket
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

LIMIT_S = 1.0
CLIENT_TIMEOUT_S = 45.0  # longer than gunicorn's --timeout 30, so a killed worker shows


@dataclass
class Answer:
    label: str
    status: int | None = None  # None: no answer (connection closed, reset or timed out)
    seconds: float = 0.0
    note: str = ""
    limit_s: float = LIMIT_S
    expect: str = "4xx"
    headers: dict[str, list[str]] = field(default_factory=dict, repr=False)
    body: bytes = field(default=b"", repr=False)

    @property
    def reason(self) -> str:
        """The first error of a JSON error answer, shortened."""
        if self.status is None or self.status < 400:
            return ""
        try:
            errors = json.loads(self.body).get("errors") or []
        except (ValueError, AttributeError):
            return ""
        first = str(errors[0]) if errors else ""
        return first if len(first) <= 100 else first[:99] + "…"

    @property
    def ok(self) -> bool:
        if self.status is None or self.seconds > self.limit_s:
            return False
        if self.expect == "4xx":
            return 400 <= self.status < 500
        return self.status == 200


def http(
    label: str,
    port: int,
    method: str,
    path: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes | Iterable[bytes] = b"",
    length: int | None = None,
    timeout: float = CLIENT_TIMEOUT_S,
    expect: str = "4xx",
) -> Answer:
    answer = Answer(label, expect=expect)
    started = time.perf_counter()
    deadline = started + timeout
    chunks = [body] if isinstance(body, bytes) else body
    size = len(body) if isinstance(body, bytes) else length
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    if method == "POST":
        lines.append(f"Content-Length: {size}")
    received = b""
    sent = 0
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except OSError as exc:
        answer.note = f"could not connect: {exc}"
        return answer
    with sock:
        try:
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            for chunk in chunks:
                if not chunk:
                    continue
                if select.select([sock], [], [], 0)[0]:
                    answer.note = f"answered after {sent:,} of {size:,} bytes were sent"
                    break
                sock.settimeout(max(0.01, deadline - time.perf_counter()))
                sock.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            answer.note = f"the server closed the connection after {sent:,} bytes were sent"
        except TimeoutError:
            answer.note = f"sending stalled after {sent:,} bytes"
        try:
            while time.perf_counter() < deadline:
                sock.settimeout(max(0.01, deadline - time.perf_counter()))
                data = sock.recv(65536)
                if not data:
                    break
                if not received:
                    answer.seconds = time.perf_counter() - started
                received += data
        except TimeoutError:
            answer.note = answer.note or f"no answer within {timeout:.0f} s"
        except ConnectionResetError:
            answer.note = answer.note or "connection reset"
    if not received:
        answer.seconds = time.perf_counter() - started
        answer.note = answer.note or "the connection closed without an answer"
        return answer
    head, _, answer.body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    match = re.match(r"HTTP/1\.[01] (\d{3})", status_line)
    answer.status = int(match.group(1)) if match else None
    for line in header_lines:
        name, _, value = line.partition(":")
        answer.headers.setdefault(name.strip().lower(), []).append(value.strip())
    return answer


def multipart(
    fields: dict[str, str], file_field: str, content: Iterable[bytes], size: int
) -> tuple[str, Iterator[bytes], int]:
    """(content type, body chunks, length) of a multipart/form-data upload of `content`."""
    boundary = "----skillspassport" + secrets.token_hex(8)
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        'filename="credential.json"\r\nContent-Type: application/json\r\n\r\n'
    )
    tail = f"\r\n--{boundary}--\r\n".encode()
    head_bytes = head.encode()

    def chunks() -> Iterator[bytes]:
        yield head_bytes
        yield from content
        yield tail

    return (
        f"multipart/form-data; boundary={boundary}",
        chunks(),
        len(head_bytes) + size + len(tail),
    )
