"""The no-network guard of tests/conftest.py: outbound connections fail, loopback works."""

import os
import socket
import threading

import pytest

pytestmark = pytest.mark.skipif(os.environ.get("P2P_ALLOW_NETWORK") == "1",
                                reason="network guard switched off")


def test_outbound_connection_is_blocked():
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)   # TEST-NET-1, never routed


def test_host_names_other_than_localhost_are_blocked():
    with socket.socket() as s, pytest.raises(OSError):
        s.connect(("pypi.org", 443))


def test_loopback_still_works():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        accepted = []
        thread = threading.Thread(target=lambda: accepted.append(server.accept()[0]))
        thread.start()
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            client.sendall(b"ok")
        thread.join(5)
        assert accepted and accepted[0].recv(2) == b"ok"
        accepted[0].close()
