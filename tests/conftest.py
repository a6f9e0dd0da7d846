"""Shared test setup.

Figures drawn by the tests themselves render off-screen (Agg). The notebook kernels that nbval
starts must see the same matplotlib setup as a student's Jupyter (the inline backend), so an
MPLBACKEND variable is removed from the environment they inherit.
"""

import ipaddress
import os
import socket

import matplotlib

os.environ.pop("MPLBACKEND", None)
matplotlib.use("Agg")


# --- No network at run time ------------------------------------------------------------------
# The course must run offline (Binder mirrors, lecture halls, CI with the network cut): nothing
# may fetch data, fonts or styles. CI runs the whole suite inside a network namespace with only
# loopback (.ci/run); this guard is the cheap in-suite proof for the test process itself: a
# socket connection to anything but loopback or a Unix socket raises. Kernels and the Jupyter
# server talk over loopback, which stays allowed. Set P2P_ALLOW_NETWORK=1 to switch it off.

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


class NetworkBlocked(OSError):
    """Raised by the test suite's guard when code tries to reach a non-loopback address."""


def _is_loopback(address) -> bool:
    if not isinstance(address, tuple):      # AF_UNIX path or abstract socket
        return True
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode()
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False                         # a host name other than localhost


def _guarded(original):
    def connect(self, address, *args, **kwargs):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address):
            raise NetworkBlocked(f"network access blocked during tests: {address!r}")
        return original(self, address, *args, **kwargs)
    return connect


def pytest_configure(config):
    if os.environ.get("P2P_ALLOW_NETWORK") == "1":
        return
    socket.socket.connect = _guarded(socket.socket.connect)
    socket.socket.connect_ex = _guarded(socket.socket.connect_ex)
