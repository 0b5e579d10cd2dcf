"""HTTPS through a pinned address: SNI and certificate checks still use the host name."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .rig import SpamServer, make_rig


def _self_signed(directory: Path, name: str) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = directory / f"{name}.pem", directory / f"{name}.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-nodes", "-days", "1"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-subj", f"/CN={name}", "-addext", f"subjectAltName=DNS:{name}"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return _self_signed(tmp_path_factory.mktemp("tls"), "secure.top")


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[SpamServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server = SpamServer(tls=context)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_https_verifies_the_host_name_while_connecting_to_the_checked_address(
    tls_server: SpamServer, certificate: tuple[Path, Path]
) -> None:
    trusting = ssl.create_default_context(cafile=str(certificate[0]))
    rig = make_rig(tls_server, ssl_context=trusting)

    result = rig.resolver.resolve("https://secure.top/landing")

    assert result.error is None
    assert result.title == "澳门娱乐城"
    assert rig.connected_to() == ["9.9.9.9"]
    assert tls_server.server_names == ["secure.top"]
    assert tls_server.requests[-1] == ("secure.top", "/landing")


def test_an_untrusted_certificate_is_not_accepted(tls_server: SpamServer) -> None:
    rig = make_rig(tls_server, ssl_context=ssl.create_default_context())

    assert rig.resolver.resolve("https://secure.top/landing").error == "unreachable"
