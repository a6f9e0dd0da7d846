"""Who pays for the bandwidth: the arithmetic of peer-assisted vs server-only delivery.

Peers that upload save the broadcaster server (CDN) bytes, but the bytes do not vanish: every
byte a peer delivers is uploaded by some viewer (the viewer's cost) and, unless both peers sit
in the same ISP, crosses an ISP boundary (transit, the ISPs' cost). A peer-assisted platform
also has a fixed cost of its own (licences, the client, the tracker and its database,
support). So peer assistance pays only while bandwidth is dear:

    peer-assisted cost = (1 - p) · V · price + F,     server-only cost = V · price

with ``V`` the daily volume, ``p`` the peers' share and ``F`` the platform's fixed daily cost;
server-only delivery becomes cheaper once ``price < F / (p V)``, the break-even price. As
bandwidth prices fell, a broadcaster crossed that line (the BBC's move away from
peer-assisted iPlayer downloads in December 2008 cited falling bandwidth prices and ISPs'
concerns). All prices are inputs: none is a sourced figure.

Examples
--------
>>> from p2plib.swarm.delivery_cost import break_even_price
>>> float(break_even_price(daily_gb=100_000, peer_share=0.5, fixed_cost_per_day=5_000))
0.1
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from p2plib._validate import check_array, check_real
from p2plib.swarm.fluid import FluidSteadyState, fluid_steady_state

__all__ = ["DeliveryCosts", "break_even_price", "cdn_comparison", "delivery_costs"]


def _array_in(name, value, low, high=None):
    arr = check_array(name, value)
    if not np.all(np.isfinite(arr)) or np.any(arr < low) or (high is not None
                                                             and np.any(arr > high)):
        top = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must be finite numbers in [{low:g}, {top}], got {value!r}")
    return arr


@dataclass(frozen=True, eq=False)
class DeliveryCosts:
    """Daily bytes and money of peer-assisted delivery beside a server-only CDN.

    Volumes are in GB per day, money in the currency of ``price_per_gb`` per day; arrays
    broadcast over the inputs ``peer_share`` and ``price_per_gb``.

    Attributes
    ----------
    total_gb : float
        GB per day delivered to viewers.
    server_gb : numpy.ndarray
        GB per day sent by the origin servers / CDN.
    server_gb_saved : numpy.ndarray
        GB per day peers save the servers, ``total_gb - server_gb``.
    upload_gb_per_user : numpy.ndarray
        GB per day uploaded by the average viewer (the viewer's cost).
    transit_gb : numpy.ndarray
        GB per day of peer-to-peer bytes that cross an ISP boundary (the ISPs' cost).
    peer_assisted_cost, server_only_cost : numpy.ndarray
        The broadcaster's daily bill either way (currency units per day).
    break_even_price : numpy.ndarray
        Price per GB below which server-only delivery is cheaper.

    References
    ----------
    Course model (chapter 05): the cost identity in the module's description, built on the
    BBC's stated reason for leaving peer-assisted delivery in December 2008 (GigaOm 2008).

    Examples
    --------
    >>> costs = delivery_costs(1000, 1.0, peer_share=0.5, price_per_gb=0.1,
    ...                        fixed_cost_per_day=100)
    >>> float(costs.peer_assisted_cost), float(costs.server_only_cost)
    (150.0, 100.0)
    >>> bool(costs.server_only_cheaper)
    True
    """

    total_gb: float
    server_gb: np.ndarray
    server_gb_saved: np.ndarray
    upload_gb_per_user: np.ndarray
    transit_gb: np.ndarray
    peer_assisted_cost: np.ndarray
    server_only_cost: np.ndarray
    break_even_price: np.ndarray

    @property
    def server_only_cheaper(self) -> np.ndarray:
        """Where a server-only CDN costs the broadcaster less than peer assistance."""
        return self.server_only_cost < self.peer_assisted_cost


def break_even_price(daily_gb, peer_share, fixed_cost_per_day):
    """Price per GB at which peer-assisted and server-only delivery cost the same, ``F / (p V)``.

    Below it, server-only delivery is cheaper. ``inf`` when peers deliver nothing.

    Parameters
    ----------
    daily_gb : float
        V, GB delivered per day, ``> 0``.
    peer_share : float or array_like
        p in ``[0, 1]``, the share of bytes peers deliver.
    fixed_cost_per_day : float
        F, the peer-assisted platform's own daily cost (currency units per day), ``>= 0``.

    Returns
    -------
    numpy.ndarray
        Break-even price per GB (currency units), one per ``peer_share``; ``inf`` where
        ``peer_share`` is 0.

    References
    ----------
    Course model (chapter 05): ``(1 - p) V price + F = V price`` solved for the price.

    Examples
    --------
    >>> break_even_price(1000, [0.0, 0.5, 1.0], 10).tolist()
    [inf, 0.02, 0.01]
    """
    volume = check_real("daily_gb", daily_gb, 0, open_min=True)
    share = _array_in("peer_share", peer_share, 0, 1)
    fixed = check_real("fixed_cost_per_day", fixed_cost_per_day, 0)
    with np.errstate(divide="ignore", over="ignore"):
        return np.where(share > 0, fixed / (np.where(share > 0, share, 1.0) * volume), np.inf)


def delivery_costs(daily_users, gb_per_user, peer_share, price_per_gb, *, local_share=0.0,
                   fixed_cost_per_day=0.0) -> DeliveryCosts:
    """Who carries the bytes, and the broadcaster's bill, with and without peer assistance.

    Parameters
    ----------
    daily_users : float
        Viewers per day who download, ``> 0``.
    gb_per_user : float
        GB each of them downloads per day, ``> 0``.
    peer_share : float or array_like
        Share of bytes delivered by peers, in ``[0, 1]`` (the real iPlayer figure was never
        published: pass a range).
    price_per_gb : float or array_like
        What the broadcaster pays per GB sent from its servers or CDN (currency units),
        ``>= 0``.
    local_share : float
        Share of peer-to-peer bytes that stay inside one ISP, in ``[0, 1]``.
    fixed_cost_per_day : float
        The peer-assisted platform's own daily cost (currency units per day), ``>= 0``.

    Returns
    -------
    DeliveryCosts
        Volumes in GB per day, money in currency units per day, broadcast over
        ``peer_share`` and ``price_per_gb``.

    References
    ----------
    Course model (chapter 05): every byte a peer delivers is uploaded by a viewer and, unless
    it stays inside one ISP, crosses an ISP boundary.

    Examples
    --------
    >>> costs = delivery_costs(300_000, 0.3, peer_share=0.6, price_per_gb=0.1)
    >>> float(costs.total_gb), float(costs.server_gb), float(costs.upload_gb_per_user)
    (90000.0, 36000.0, 0.18)
    """
    users = check_real("daily_users", daily_users, 0, open_min=True)
    per_user = check_real("gb_per_user", gb_per_user, 0, open_min=True)
    share = _array_in("peer_share", peer_share, 0, 1)
    price = _array_in("price_per_gb", price_per_gb, 0)
    local = check_real("local_share", local_share, 0, 1)
    fixed = check_real("fixed_cost_per_day", fixed_cost_per_day, 0)
    total = users * per_user
    server = (1.0 - share) * total
    peer_cost = server * price + fixed
    only = np.broadcast_to(total * price, np.broadcast(share, price).shape)
    return DeliveryCosts(total, server, total - server, share * per_user,
                         share * total * (1.0 - local), peer_cost, only.copy(),
                         break_even_price(total, share, fixed))


def cdn_comparison(arrival_rate, upload_rate, download_rate, seed_departure_rate, server_rate,
                   abort_rate=0.0, efficiency=1.0) -> tuple[FluidSteadyState, FluidSteadyState]:
    """Steady states of the same audience served peer-assisted and by the servers alone.

    The server-only CDN is the fluid model with no peer upload (``upload_rate = 0``) and the
    same origin capacity ``server_rate`` (files per unit time).

    Parameters
    ----------
    arrival_rate : float
        λ, viewers who start a download per unit time, ``>= 0``.
    upload_rate : float
        μ, one peer's upload in files per unit time, ``>= 0``.
    download_rate : float
        c, one peer's download in files per unit time, ``> 0``.
    seed_departure_rate : float
        γ, per unit time: 1 / (mean time a finished peer keeps uploading), ``> 0``.
    server_rate : float
        s, origin servers' total upload in files per unit time, ``>= 0``.
    abort_rate : float
        θ, per unit time: rate at which a downloader gives up, ``>= 0``.
    efficiency : float
        η in ``[0, 1]``: share of a downloader's upload that is useful to someone.

    Returns
    -------
    (FluidSteadyState, FluidSteadyState)
        The peer-assisted steady state, then the servers-alone one.

    References
    ----------
    Qiu & Srikant, "Modeling and performance analysis of BitTorrent-like peer-to-peer
    networks", ACM SIGCOMM 2004, with the course's origin servers (chapter 05).

    Examples
    --------
    >>> assisted, alone = cdn_comparison(100, 0.5, 4, 1, server_rate=80, abort_rate=0.1)
    >>> round(assisted.download_time, 2), round(alone.download_time, 2)
    (0.24, 2.0)
    """
    common = dict(abort_rate=abort_rate, efficiency=efficiency, server_rate=server_rate)
    return (fluid_steady_state(arrival_rate, upload_rate, download_rate, seed_departure_rate,
                               **common),
            fluid_steady_state(arrival_rate, 0.0, download_rate, seed_departure_rate, **common))
