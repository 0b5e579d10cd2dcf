"""Fixtures for the fetch tests; the fakes themselves live in ``rig.py``."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from .rig import Rig, SpamServer, make_rig


@pytest.fixture(scope="session")
def server() -> Iterator[SpamServer]:
    """One loopback server for the session; it answers whatever host name it is given."""
    spam_server = SpamServer()
    thread = threading.Thread(target=spam_server.serve_forever, daemon=True)
    thread.start()
    yield spam_server
    spam_server.shutdown()
    spam_server.server_close()


@pytest.fixture
def rig(server: SpamServer) -> Rig:
    """A production-mode resolver (private addresses refused) wired to the fakes."""
    return make_rig(server)
