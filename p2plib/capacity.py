"""Client-server vs peer-to-peer: capacity that grows with its users.

The classic comparison of Kurose & Ross (*Computer Networking: A Top-Down Approach*, section
2.5, "Peer-to-Peer File Distribution"): one server with upload rate ``u_s`` sends a file of
``F`` bits to ``N`` peers, each with upload ``u`` and download ``d``. The minimum time to give
every peer the whole file is

* client-server: ``D_cs  = max(N F / u_s, F / d)``
* peer-to-peer:  ``D_p2p = max(F / u_s, F / d, N F / (u_s + N u))``

``D_cs`` grows linearly with ``N``; ``D_p2p`` stays bounded by ``max(F/u_s, F/d, F/u)`` because
every new peer brings upload capacity as well as demand.

Examples
--------
>>> from p2plib.capacity import distribution_time
>>> distribution_time([10, 1000], file_size_mbit=800, server_upload_mbps=100,
...                   peer_upload_mbps=1, peer_download_mbps=10, architecture="client-server")
array([  80., 8000.])
"""

from __future__ import annotations

import numpy as np

from p2plib._validate import check_choice, check_real

__all__ = ["ARCHITECTURES", "distribution_time"]

ARCHITECTURES = ("client-server", "p2p")


def distribution_time(
    peers,
    file_size_mbit,
    server_upload_mbps,
    peer_upload_mbps,
    peer_download_mbps,
    architecture="p2p",
):
    """Minimum time (seconds) to distribute one file to every peer (Kurose & Ross).

    Parameters
    ----------
    peers : int or array_like of int
        Number of peers ``N`` that want the file, each ``>= 1``.
    file_size_mbit : float
        File size ``F`` in megabits, ``> 0``.
    server_upload_mbps : float
        Server upload rate ``u_s`` in Mbit/s, ``> 0``.
    peer_upload_mbps : float
        Upload rate ``u`` of each peer in Mbit/s, ``>= 0`` (unused for client-server).
    peer_download_mbps : float
        Download rate ``d`` of each peer in Mbit/s, ``> 0``.
    architecture : {"client-server", "p2p"}
        Who uploads: the server alone, or the server and every peer.

    Returns
    -------
    float or numpy.ndarray
        Seconds, the same shape as ``peers``.

    References
    ----------
    J. F. Kurose and K. W. Ross, *Computer Networking: A Top-Down Approach*, Pearson,
    chapter 2, "Peer-to-peer file distribution" (section 2.5 in recent editions).

    Examples
    --------
    >>> float(distribution_time(10_000, 800, 100, 1, 10))   # bounded by N F / (u_s + N u)
    792.0792079207921
    """
    peers_arr = np.asarray(peers)
    if not np.issubdtype(peers_arr.dtype, np.number) or np.any(~np.isfinite(peers_arr)):
        raise TypeError("peers must be a number of peers or an array of them")
    if np.any(peers_arr < 1) or np.any(peers_arr != np.round(peers_arr)):
        raise ValueError("peers must be whole numbers >= 1")
    size = check_real("file_size_mbit", file_size_mbit, 0, open_min=True)
    server = check_real("server_upload_mbps", server_upload_mbps, 0, open_min=True)
    upload = check_real("peer_upload_mbps", peer_upload_mbps, 0)
    download = check_real("peer_download_mbps", peer_download_mbps, 0, open_min=True)
    architecture = check_choice("architecture", architecture, ARCHITECTURES)
    n = peers_arr.astype(np.float64)
    if architecture == "client-server":
        time = np.maximum(n * size / server, size / download)
    else:
        time = np.maximum.reduce(
            [np.full_like(n, size / server), np.full_like(n, size / download),
             n * size / (server + n * upload)]
        )
    return float(time) if time.ndim == 0 else time
