"""A throwaway deployment of the app: production settings, fresh secrets, a SQLite database in
a temporary folder, and gunicorn on 127.0.0.1 (over TLS with a self-signed certificate, or
plain HTTP) until the block ends, however it ends.

Shared by `make conformance` (scripts/conformance.py, which imports it as `deployment`, its
neighbour) and the denial-of-service checks of `make bench` (benchmarks/dos.py, which imports it
as `scripts.deployment` from the repository root). Standard library only, apart from the
certificate, which needs `cryptography`.
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(message, flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def run_logged(
    cmd: list[str], *, cwd: Path, env: dict[str, str], log_file: Path, timeout: float
) -> int:
    """Run `cmd` in its own process group with its output in `log_file`; kill the whole group
    if it overruns or if this script is interrupted, so nothing is left running."""
    with log_file.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603
            cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            out.write(f"\n[timed out after {timeout:.0f} s]\n".encode())
            return -1
        finally:
            stop_group(process)


def stop_group(process: subprocess.Popen[bytes], grace: float = 10.0) -> None:
    if process.poll() is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # any grandchildren it left behind
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def app_environment(tmp: Path, site_url: str, **extra: str) -> dict[str, str]:
    """Production settings, every secret fresh and throwaway, the database in `tmp`; `extra`
    adds or overrides settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "CREDENTIAL_KEY_SECRET": secrets.token_urlsafe(32),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": site_url,
        # The checks send some hundreds of requests from one address in a minute.
        "VERIFY_RATE_LIMIT": "100000/m",
        "MEDIA_ROOT": str(tmp / "media"),
    }
    return env | extra


def manage(args: list[str], env: dict[str, str], log_file: Path, *, timeout: float = 600) -> None:
    """`manage.py <args>` in the deployment's environment; RuntimeError if it fails."""
    code = run_logged(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, log_file=log_file, timeout=timeout
    )
    if code != 0:
        raise RuntimeError(f"manage.py {args[0]} failed:\n{tail(log_file)}")


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (its own CA, so Node can be told to trust it)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


@contextlib.contextmanager
def serve(
    env: dict[str, str],
    port: int,
    log_file: Path,
    *,
    options: list[str],
    tls: tuple[Path, Path] | None = None,
    grace: float = 10.0,
) -> Iterator[None]:
    """gunicorn (2 workers, with `options`) on 127.0.0.1:port, over TLS with `tls` (certificate,
    key), until the block ends (however it ends)."""
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        *options,
    ]
    if tls is not None:
        cmd += ["--certfile", str(tls[0]), "--keyfile", str(tls[1])]
    cmd.append("--no-control-socket")
    with log_file.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        scheme = "https" if tls else "http"
        wait_healthy(f"{scheme}://127.0.0.1:{port}/healthz", process, log_file, tls)
        yield
    finally:
        stop_group(process, grace=grace)


def wait_healthy(
    url: str, process: subprocess.Popen[bytes], log_file: Path, tls: tuple[Path, Path] | None
) -> None:
    context = ssl.create_default_context(cafile=str(tls[0])) if tls else None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{tail(log_file)}")
        try:
            with urllib.request.urlopen(url, context=context, timeout=5) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within 60 s:\n{tail(log_file)}")
