"""Peer-assisted delivery as Kontiki did it: a fluid model of a swarm with origin servers.

A programme is published; viewers arrive, download it (from origin servers and from each
other) and, because the background service keeps running, go on uploading it as *seeds* until
they leave. This module holds the fluid (mean-field) level; the chunk-level simulation is in
:mod:`p2plib.swarm.simulation` and the money in :mod:`p2plib.swarm.delivery_cost`.

The fluid model (Qiu & Srikant, "Modeling and performance analysis of BitTorrent-like
peer-to-peer networks", SIGCOMM 2004) tracks ``x(t)`` downloaders and ``y(t)`` seeds::

    dx/dt = λ - θ x - min(c x, μ (η x + y) + s)
    dy/dt = min(c x, μ (η x + y) + s) - γ y

with λ the arrival rate of viewers, μ the upload rate and c the download rate of one peer (in
*files* per unit time: bandwidth divided by the programme's size), θ the rate at which a
downloader gives up, γ the rate at which a seed leaves, η the efficiency of downloaders'
upload (the share of it that finds a peer that needs what it has). ``s`` (files per unit time)
is the origin servers' upload: our addition for Kontiki, which always mixed servers and peers;
with ``s = 0`` the model is exactly the paper's.

Any time unit works if it is the same for every rate; the course uses hours.

Examples
--------
>>> from p2plib.swarm.fluid import fluid_steady_state
>>> state = fluid_steady_state(arrival_rate=100, upload_rate=0.5, download_rate=4,
...                            seed_departure_rate=1)
>>> state.regime
'upload-constrained'
>>> round(state.download_time, 3)
1.0
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import integrate

from p2plib._validate import check_array, check_int, check_real

__all__ = [
    "FlashCrowd",
    "FluidSteadyState",
    "FluidTrajectory",
    "critical_seed_time",
    "files_per_hour",
    "flash_crowd",
    "flash_crowd_arrival_rate",
    "fluid_derivatives",
    "fluid_steady_state",
    "fluid_trajectory",
]


@dataclass(frozen=True)
class FluidSteadyState:
    """Equilibrium of the Qiu–Srikant fluid model (with optional origin servers).

    Attributes
    ----------
    downloaders : float
        Mean number of peers still downloading, x̄ (``inf`` if there is no steady state).
    seeds : float
        Mean number of peers that have the whole file and upload it, ȳ.
    download_time : float
        Mean time a viewer spends downloading, T = x̄ / λ by Little's law (same time unit as
        the rates); ``1 / (θ + β)`` in the paper's notation.
    regime : str
        ``"download-constrained"`` (peers' download links are the bottleneck),
        ``"upload-constrained"`` (upload capacity is), or ``"no steady state"``.
    completion_rate : float
        Viewers who finish per unit time, γ ȳ.
    server_rate_used : float
        Files per unit time the origin servers send (at most their capacity ``s``). Peers
        serve first and the servers fill the rest, as in Kontiki's fallback to its servers.
    peer_rate_used : float
        Files per unit time the peers send each other.

    References
    ----------
    Qiu & Srikant, "Modeling and performance analysis of BitTorrent-like peer-to-peer
    networks", ACM SIGCOMM 2004 (section 3); the origin servers are the course's addition
    (chapter 05).

    Examples
    --------
    >>> state = fluid_steady_state(60, upload_rate=0.5, download_rate=2, seed_departure_rate=0.5,
    ...                            server_rate=10)
    >>> state.downloaders, state.server_rate_used, state.peer_share
    (30.0, 0.0, 1.0)
    """

    downloaders: float
    seeds: float
    download_time: float
    regime: str
    completion_rate: float
    server_rate_used: float
    peer_rate_used: float

    @property
    def peer_share(self) -> float:
        """Share of all delivered bytes that came from peers rather than origin servers."""
        total = self.server_rate_used + self.peer_rate_used
        return self.peer_rate_used / total if total > 0 else 0.0


def _check_rates(arrival_rate, upload_rate, download_rate, seed_departure_rate, abort_rate,
                 efficiency, server_rate, arrival_may_be_callable=False):
    if not (arrival_may_be_callable and callable(arrival_rate)):
        arrival_rate = check_real("arrival_rate", arrival_rate, 0)
    return (arrival_rate,
            check_real("upload_rate", upload_rate, 0),
            check_real("download_rate", download_rate, 0, open_min=True),
            check_real("seed_departure_rate", seed_departure_rate, 0, open_min=True),
            check_real("abort_rate", abort_rate, 0),
            check_real("efficiency", efficiency, 0, 1),
            check_real("server_rate", server_rate, 0))


def fluid_steady_state(arrival_rate, upload_rate, download_rate, seed_departure_rate,
                       abort_rate=0.0, efficiency=1.0, *, server_rate=0.0) -> FluidSteadyState:
    """Steady state of the Qiu & Srikant (SIGCOMM 2004) fluid model of a swarm.

    Setting both derivatives to zero gives ``γ ȳ = R`` and ``λ = θ x̄ + R`` where
    ``R = min(c x̄, μ (η x̄ + ȳ) + s)`` is the rate at which downloaders finish. Two regimes:

    * download-constrained (``R = c x̄``): ``x̄ = λ / (θ + c)``, ``ȳ = c x̄ / γ``; this holds when
      ``c x̄ <= μ (η x̄ + ȳ) + s``, i.e. (with ``s = 0``) when ``1/c >= (1/η)(1/μ - 1/γ)``, that
      is when seeds stay at least ``1/γ >= 1/μ - η/c`` (:func:`critical_seed_time`);
    * upload-constrained (``R = μ (η x̄ + ȳ) + s``, only possible when γ > μ: seeds leave
      before they have uploaded one copy each): ``ȳ = (μ η x̄ + s) / (γ - μ)`` and
      ``x̄ = (λ - γ s / (γ - μ)) / (θ + β)`` with ``β = γ μ η / (γ - μ)``.

    With ``s = 0`` both read as the paper's closed form ``x̄ = λ / (θ + β)``,
    ``ȳ = λ β / (γ (θ + β))`` with ``1/β = max(1/c, (1/η)(1/μ - 1/γ))``, and
    ``T = x̄ / λ = 1 / (θ + β)`` (Little's law over all arriving viewers).

    Parameters
    ----------
    arrival_rate : float
        λ, viewers who start a download per unit time, ``>= 0``.
    upload_rate : float
        μ, one peer's upload in files per unit time (upload bandwidth / file size), ``>= 0``.
    download_rate : float
        c, one peer's download in files per unit time, ``> 0``.
    seed_departure_rate : float
        γ, 1 / (mean time a finished peer keeps uploading), ``> 0``.
    abort_rate : float
        θ, rate at which a downloader gives up, ``>= 0``.
    efficiency : float
        η in ``[0, 1]``: share of a downloader's upload that is useful to someone.
    server_rate : float, keyword-only
        s, origin servers' total upload in files per unit time, ``>= 0`` (0: the paper).

    Returns
    -------
    FluidSteadyState
        With ``downloaders`` (x̄), ``seeds`` (ȳ) and ``download_time`` (T). If upload cannot keep
        up and nobody gives up (θ = 0), the downloaders grow without bound: ``downloaders`` and
        ``download_time`` are ``inf`` and ``regime`` is ``"no steady state"``.

    References
    ----------
    Qiu & Srikant, "Modeling and performance analysis of BitTorrent-like peer-to-peer
    networks", ACM SIGCOMM 2004 (the steady state, section 3.2); Little, "A proof for the
    queuing formula L = λW", Operations Research 1961 (T = x̄ / λ). The origin servers ``s``
    are the course's addition (chapter 05).

    Examples
    --------
    Seeds that stay as long as it takes to upload one copy make the download link the limit:

    >>> s = fluid_steady_state(60, upload_rate=0.5, download_rate=2, seed_departure_rate=0.5)
    >>> s.regime, s.downloaders, s.seeds, s.download_time
    ('download-constrained', 30.0, 120.0, 0.5)
    """
    lam, mu, c, gamma, theta, eta, s = _check_rates(
        arrival_rate, upload_rate, download_rate, seed_departure_rate, abort_rate, efficiency,
        server_rate)
    x = lam / (theta + c)
    y = c * x / gamma
    if c * x <= mu * (eta * x + y) + s + 1e-12 * max(1.0, c * x):
        return _state(lam, x, y, c * x, mu * (eta * x + y), "download-constrained",
                      1.0 / (theta + c))
    # Upload-constrained: reachable only when gamma > mu (otherwise the test above holds).
    beta = gamma * mu * eta / (gamma - mu)
    surplus = lam - gamma * s / (gamma - mu)
    # θ + β = 0: the downloaders grow without bound; a θ + β so small that x̄ overflows is the
    # same case in floating point
    if theta + beta == 0.0 or not math.isfinite(surplus / (theta + beta)):
        return FluidSteadyState(math.inf, s / (gamma - mu), math.inf, "no steady state",
                                gamma * s / (gamma - mu), s, gamma * s / (gamma - mu) - s)
    x = surplus / (theta + beta)
    y = (mu * eta * x + s) / (gamma - mu)
    return _state(lam, x, y, gamma * y, mu * (eta * x + y), "upload-constrained",
                  1.0 / (theta + beta))


def critical_seed_time(upload_rate, download_rate, efficiency=1.0, *, arrival_rate=None,
                       abort_rate=0.0, server_rate=0.0) -> float:
    """Shortest mean seed time ``1/γ`` for which the swarm is download-constrained.

    The boundary between the fluid model's two regimes (Qiu & Srikant, SIGCOMM 2004). In the
    download-constrained steady state ``x̄ = λ / (θ + c)`` and ``ȳ = c x̄ / γ``; that state holds
    while the peers' upload covers it, ``c x̄ <= μ (η x̄ + ȳ) + s``. Divided by ``μ c x̄``::

        1/γ >= 1/μ - η/c - s (θ + c) / (λ μ c)

    With no servers (``s = 0``, the paper) the boundary ``1/μ - η/c`` depends on neither the
    arrival rate nor the abort rate: seeds need not stay long enough to upload a whole copy
    (``1/μ``), because downloaders upload too (``η/c`` of a copy each while they download). The
    often-quoted ``1/γ >= 1/μ`` is sufficient, not necessary. Servers lower the boundary
    further, the more the fewer viewers arrive.

    Parameters
    ----------
    upload_rate : float
        μ, one peer's upload in files per unit time, ``>= 0``.
    download_rate : float
        c, one peer's download in files per unit time, ``> 0``.
    efficiency : float
        η in ``[0, 1]``: share of a downloader's upload that is useful.
    arrival_rate : float, keyword-only
        λ, viewers per unit time, ``> 0``; needed only when ``server_rate > 0``.
    abort_rate : float, keyword-only
        θ, rate at which a downloader gives up, ``>= 0`` (matters only with servers).
    server_rate : float, keyword-only
        s, origin servers' upload in files per unit time, ``>= 0``.

    Returns
    -------
    float
        The critical mean seed time (same time unit as the rates), ``>= 0``: the swarm is
        download-constrained exactly when ``1 / seed_departure_rate`` is at least this. ``0``
        when any seed time will do; ``inf`` when none will (no peer upload, too few servers).

    References
    ----------
    Qiu & Srikant, "Modeling and performance analysis of BitTorrent-like peer-to-peer
    networks", ACM SIGCOMM 2004 (the two regimes of the steady state); the server term is the
    course's addition (chapter 05).

    Examples
    --------
    A 448 kbit/s upstream and a 4 Mbit/s downstream for a 350 MB programme (files per hour):

    >>> mu, c = files_per_hour(0.448, 350), files_per_hour(4.0, 350)
    >>> round(1 / mu, 3), round(critical_seed_time(mu, c), 3)   # hours
    (1.736, 1.542)
    """
    mu = check_real("upload_rate", upload_rate, 0)
    c = check_real("download_rate", download_rate, 0, open_min=True)
    eta = check_real("efficiency", efficiency, 0, 1)
    theta = check_real("abort_rate", abort_rate, 0)
    s = check_real("server_rate", server_rate, 0)
    server_term = 0.0
    if s > 0:
        if arrival_rate is None:
            raise ValueError("arrival_rate is needed when server_rate > 0 (a rate > 0)")
        lam = check_real("arrival_rate", arrival_rate, 0, open_min=True)
        server_term = s * (theta + c) / lam        # servers' share, per downloader, per c
    elif arrival_rate is not None:
        check_real("arrival_rate", arrival_rate, 0, open_min=True)
    if mu == 0.0:      # no peer upload: the seed time is irrelevant; servers alone decide
        return 0.0 if server_term >= c else math.inf
    return max(0.0, 1.0 / mu - eta / c - server_term / (mu * c))


def _state(lam, x, y, rate, peer_capacity, regime, empty_time) -> FluidSteadyState:
    """Pack a steady state; peers serve first, servers fill the rest (Kontiki's fallback);
    ``empty_time`` is the limit of x̄/λ as λ -> 0."""
    server = max(rate - peer_capacity, 0.0)
    return FluidSteadyState(float(x), float(y), float(x / lam) if lam > 0 else empty_time,
                            regime, float(rate), float(server), float(rate - server))


def fluid_derivatives(x, y, arrival_rate, upload_rate, download_rate, seed_departure_rate,
                      abort_rate=0.0, efficiency=1.0, server_rate=0.0):
    """Right-hand side ``(dx/dt, dy/dt)`` of the fluid model; works on numpy arrays.

    ``dx/dt = λ - θ x - min(c x, μ (η x + y) + s)`` and
    ``dy/dt = min(c x, μ (η x + y) + s) - γ y``: downloaders arrive, give up or finish;
    finished downloaders seed until they leave.

    Parameters
    ----------
    x : float or array_like
        Downloaders (peers), finite.
    y : float or array_like
        Seeds (peers), finite; broadcast against ``x``.
    arrival_rate : float
        λ, viewers who start a download per unit time, ``>= 0``.
    upload_rate : float
        μ, one peer's upload in files per unit time, ``>= 0``.
    download_rate : float
        c, one peer's download in files per unit time, ``> 0``.
    seed_departure_rate : float
        γ, per unit time: 1 / (mean time a finished peer keeps uploading), ``> 0``.
    abort_rate : float
        θ, per unit time: rate at which a downloader gives up, ``>= 0``.
    efficiency : float
        η in ``[0, 1]``: share of a downloader's upload that is useful to someone.
    server_rate : float
        s, origin servers' total upload in files per unit time, ``>= 0``.

    Returns
    -------
    (float, float) or (numpy.ndarray, numpy.ndarray)
        ``dx/dt`` and ``dy/dt`` in peers per unit time (floats when ``x`` and ``y`` are
        numbers).

    References
    ----------
    Qiu & Srikant, "Modeling and performance analysis of BitTorrent-like peer-to-peer
    networks", ACM SIGCOMM 2004 (equation (1)); the server term ``s`` is the course's addition
    (chapter 05).

    Examples
    --------
    >>> fluid_derivatives(30.0, 120.0, 60, 0.5, 2, 0.5)
    (0.0, 0.0)
    """
    x, y = check_array("x", x), check_array("y", y)
    arrival_rate, upload_rate, download_rate, seed_departure_rate, abort_rate, efficiency, \
        server_rate = _check_rates(arrival_rate, upload_rate, download_rate, seed_departure_rate,
                                   abort_rate, efficiency, server_rate)
    finish = np.minimum(download_rate * x,
                        upload_rate * (efficiency * x + y) + server_rate)
    dx = arrival_rate - abort_rate * x - finish
    dy = finish - seed_departure_rate * y
    if dx.ndim == 0:
        return float(dx), float(dy)
    return dx, dy


@dataclass(frozen=True, eq=False)
class FluidTrajectory:
    """The fluid model integrated over time (arrays share the length of ``times``).

    Attributes
    ----------
    times : numpy.ndarray
        Time points (unit of the rates).
    arrival_rate, downloaders, seeds : numpy.ndarray
        λ(t), x(t), y(t).
    server_rate_used, peer_rate_used : numpy.ndarray
        Files per unit time sent by the origin servers and by peers.
    download_time : numpy.ndarray
        Fluid estimate of how long a viewer arriving at ``times[i]`` takes to finish (served
        first come, first served; ``nan`` if not finished by the end).
    arrived, finished : numpy.ndarray
        Cumulative viewers arrived and finished.

    References
    ----------
    Qiu & Srikant, "Modeling and performance analysis of BitTorrent-like peer-to-peer
    networks", ACM SIGCOMM 2004 (the fluid model over time).

    Examples
    --------
    >>> run = fluid_trajectory([0, 1, 2], 60, 0.5, 2, 0.5)
    >>> run.times.tolist(), round(float(run.arrived[-1]), 6)   # 60 viewers per unit time
    ([0.0, 1.0, 2.0], 120.0)
    """

    times: np.ndarray
    arrival_rate: np.ndarray
    downloaders: np.ndarray
    seeds: np.ndarray
    server_rate_used: np.ndarray
    peer_rate_used: np.ndarray
    download_time: np.ndarray
    arrived: np.ndarray
    finished: np.ndarray

    @property
    def peer_share(self) -> float:
        """Share of all bytes delivered over the run that peers uploaded."""
        peer = np.trapezoid(self.peer_rate_used, self.times)
        total = peer + np.trapezoid(self.server_rate_used, self.times)
        return float(peer / total) if total > 0 else 0.0


def fluid_trajectory(times, arrival_rate, upload_rate, download_rate, seed_departure_rate,
                     abort_rate=0.0, efficiency=1.0, *, server_rate=0.0,
                     initial=(0.0, 0.0)) -> FluidTrajectory:
    """Integrate the fluid model over ``times`` (scipy ``solve_ivp``, RK45, tight tolerances).

    Parameters
    ----------
    times : array_like
        Increasing time points at which to report the state (unit of the rates; at least 2,
        finite).
    arrival_rate : float or callable
        λ, viewers per unit time, ``>= 0``, or a function ``λ(t)`` accepting numpy arrays
        (e.g. :func:`flash_crowd_arrival_rate`).
    upload_rate : float
        μ, one peer's upload in files per unit time, ``>= 0``.
    download_rate : float
        c, one peer's download in files per unit time, ``> 0``.
    seed_departure_rate : float
        γ, per unit time: 1 / (mean time a finished peer keeps uploading), ``> 0``.
    abort_rate : float
        θ, per unit time: rate at which a downloader gives up, ``>= 0``.
    efficiency : float
        η in ``[0, 1]``: share of a downloader's upload that is useful to someone.
    server_rate : float, keyword-only
        s, origin servers' total upload in files per unit time, ``>= 0``.
    initial : (float, float), keyword-only
        ``(x, y)``: downloaders and seeds (peers, ``>= 0``) at ``times[0]``.

    Returns
    -------
    FluidTrajectory
        x(t), y(t), who sends the bytes, and each arriving viewer's fluid download time.

    References
    ----------
    Qiu & Srikant, "Modeling and performance analysis of BitTorrent-like peer-to-peer
    networks", ACM SIGCOMM 2004; integrated with scipy's RK45 (Dormand & Prince 1980).

    Examples
    --------
    From an empty swarm, the model settles on its steady state:

    >>> run = fluid_trajectory([0, 50], 60, 0.5, 2, 0.5)
    >>> round(float(run.downloaders[-1]), 3), round(float(run.seeds[-1]), 3)
    (30.0, 120.0)
    """
    times = check_array("times", times)
    if times.ndim != 1 or len(times) < 2 or np.any(np.diff(times) <= 0):
        raise ValueError("times must be an increasing 1-d array of at least 2 time points")
    lam, mu, c, gamma, theta, eta, s = _check_rates(
        arrival_rate, upload_rate, download_rate, seed_departure_rate, abort_rate, efficiency,
        server_rate, arrival_may_be_callable=True)
    x0 = check_real("initial downloaders", initial[0], 0)
    y0 = check_real("initial seeds", initial[1], 0)
    rate: Callable = lam if callable(lam) else (lambda t, _v=lam: np.full_like(t, _v, float))

    def rhs(t, state):
        x, y = max(state[0], 0.0), max(state[1], 0.0)
        now = float(rate(np.asarray([t]))[0])
        finish = min(c * x, mu * (eta * x + y) + s)
        return [now - theta * x - finish, finish - gamma * y, now, finish]

    span = times[-1] - times[0]
    sol = integrate.solve_ivp(rhs, (times[0], times[-1]), [x0, y0, 0.0, 0.0], t_eval=times,
                              method="RK45", rtol=1e-8, atol=1e-9, max_step=span / 200)
    x, y = np.maximum(sol.y[0], 0.0), np.maximum(sol.y[1], 0.0)
    finish = np.minimum(c * x, mu * (eta * x + y) + s)
    server = np.maximum(finish - mu * (eta * x + y), 0.0)  # peers first, servers fill
    arrived, finished = sol.y[2], sol.y[3]
    # FCFS fluid: whoever arrived when cumulative arrivals were A finishes when the cumulative
    # completions (plus the initial backlog) reach A. Aborts are ignored in this estimate.
    done = finished - x0
    reach = np.interp(arrived, done, times, right=np.nan)
    reach[arrived > done[-1]] = np.nan
    return FluidTrajectory(times, rate(times).astype(float), x, y, server, finish - server,
                           np.maximum(reach - times, 0.0), arrived, finished)


def flash_crowd_arrival_rate(audience, decay, release_time=0.0) -> Callable:
    """The arrival rate λ(t) of a flash crowd, decaying exponentially after the release.

    ``audience`` viewers arrive from ``release_time`` on, at a rate that decays exponentially
    with time constant ``decay``: ``λ(t) = audience / decay * exp(-(t - release_time) / decay)``.

    The exponentially decreasing arrival rate is what Guo et al. measured in BitTorrent traces
    ("Measurements, analysis, and modeling of BitTorrent-like systems", IMC 2005); Susitaival &
    Aalto (IWSOS 2006) combined it with the Qiu–Srikant fluid model. The time constant of a TV
    episode's audience is a model assumption.

    Parameters
    ----------
    audience : float
        Viewers who arrive in all, ``>= 0``.
    decay : float
        Time constant of the decay (unit of the rates: hours in the course), ``> 0``.
    release_time : float
        When the programme is published (same unit), finite.

    Returns
    -------
    callable
        ``λ(t)``: viewers per unit time at the times ``t`` (number or array); 0 before
        ``release_time``; its integral over all time is ``audience``.

    References
    ----------
    Guo et al., "Measurements, analysis, and modeling of BitTorrent-like systems", IMC 2005;
    Susitaival & Aalto, "Modelling the population dynamics and the file availability in a
    BitTorrent-like P2P system with decreasing peer arrival rate", IWSOS 2006.

    Examples
    --------
    >>> rate = flash_crowd_arrival_rate(1000, 2.0, release_time=21)
    >>> rate(np.array([20.0, 21.0])).tolist()
    [0.0, 500.0]
    """
    audience = check_real("audience", audience, 0)
    decay = check_real("decay", decay, 0, open_min=True)
    release_time = check_real("release_time", release_time)

    def rate(t):
        t = np.asarray(t, float)
        after = t >= release_time
        return np.where(after, audience / decay * np.exp(-np.where(after, t - release_time, 0)
                                                         / decay), 0.0)

    return rate


@dataclass(frozen=True, eq=False)
class FlashCrowd:
    """A flash crowd delivered two ways: peer-assisted and by the same servers alone.

    Attributes
    ----------
    peer_assisted : FluidTrajectory
        The crowd served by peers and origin servers.
    server_only : FluidTrajectory
        The same crowd served by the same origin servers alone (no peer upload).
    release_time : float
        When the programme was published (hour of the day).
    audience : float
        Viewers who arrive in all.

    References
    ----------
    Qiu & Srikant (SIGCOMM 2004) with the decaying arrivals of Guo et al. (IMC 2005), as in
    Susitaival & Aalto (IWSOS 2006); course model (chapter 05) for the servers-alone twin.

    Examples
    --------
    >>> crowd = flash_crowd(1000, 1.0, 0.3, 3, 1.0, server_rate=100, points=25)
    >>> crowd.release_time, crowd.audience, len(crowd.server_only.times)
    (21.0, 1000.0, 25)
    """

    peer_assisted: FluidTrajectory
    server_only: FluidTrajectory
    release_time: float
    audience: float


def flash_crowd(audience, decay, upload_rate, download_rate, seed_departure_rate,
                server_rate, *, abort_rate=0.0, efficiency=1.0, release_time=21.0, start=20.0,
                end=32.0, points=241) -> FlashCrowd:
    """A popular episode released at ``release_time`` (9 pm): peer-assisted vs server-only.

    Both runs use the same origin capacity ``server_rate``; the server-only CDN is the same
    model with ``upload_rate = 0``. Times are hours of the day (24 = midnight), rates per hour.

    Parameters
    ----------
    audience : float
        Viewers who download the episode, ``>= 0``.
    decay : float
        Time constant of the decaying arrival rate, hours, ``> 0``.
    upload_rate : float
        μ, one peer's upload in files per hour, ``>= 0``.
    download_rate : float
        c, one peer's download in files per hour, ``> 0``.
    seed_departure_rate : float
        γ, per hour: 1 / (mean time a finished peer keeps uploading), ``> 0``.
    server_rate : float
        s, origin servers' total upload in files per hour, ``>= 0``.
    abort_rate : float, keyword-only
        θ, per hour: rate at which a downloader gives up, ``>= 0``.
    efficiency : float, keyword-only
        η in ``[0, 1]``: share of a downloader's upload that is useful to someone.
    release_time : float, keyword-only
        Hour of the day the episode is published (default 21, 9 pm).
    start, end : float, keyword-only
        First and last hour of the day computed (``end > start``).
    points : int, keyword-only
        Evenly spaced time points from ``start`` to ``end``, ``>= 2``.

    Returns
    -------
    FlashCrowd
        The two trajectories (peer-assisted and server-only) over the same time points.

    References
    ----------
    Qiu & Srikant (SIGCOMM 2004) with the decaying arrivals of Guo et al. (IMC 2005), as in
    Susitaival & Aalto (IWSOS 2006); course model (chapter 05) for the comparison.

    Examples
    --------
    >>> crowd = flash_crowd(10_000, 1.0, upload_rate=0.3, download_rate=3,
    ...                     seed_departure_rate=1.0, server_rate=1000)
    >>> bool(crowd.peer_assisted.downloaders.max() < crowd.server_only.downloaders.max())
    True
    """
    points = check_int("points", points, minimum=2)
    start = check_real("start", start)
    end = check_real("end", end)
    if end <= start:
        raise ValueError(f"end must be later than start ({start:g} h), got {end:g}")
    rate = flash_crowd_arrival_rate(audience, decay, release_time)
    times = np.linspace(start, end, points)
    common = dict(download_rate=download_rate, seed_departure_rate=seed_departure_rate,
                  abort_rate=abort_rate, efficiency=efficiency, server_rate=server_rate)
    return FlashCrowd(fluid_trajectory(times, rate, upload_rate=upload_rate, **common),
                      fluid_trajectory(times, rate, upload_rate=0.0, **common),
                      float(release_time), float(audience))


def files_per_hour(mbit_per_s, file_mb):
    """Convert a link speed (Mbit/s) into files per hour for a file of ``file_mb`` megabytes.

    The fluid model's rates μ, c and s are in files per unit time; the course uses hours:
    ``mbit_per_s · 3600 / (8 · file_mb)``.

    Parameters
    ----------
    mbit_per_s : float
        Link speed in Mbit/s (10^6 bit/s), ``>= 0``.
    file_mb : float
        File size in MB (10^6 bytes), ``> 0``.

    Returns
    -------
    float
        Whole files per hour the link carries.

    References
    ----------
    Course model (chapter 05): the unit conversion behind Qiu & Srikant's rates (SIGCOMM 2004),
    which are in files per unit time.

    Examples
    --------
    >>> files_per_hour(0.448, 350)   # a 2008 ADSL upstream, a one-hour programme (assumptions)
    0.576
    """
    mbit_per_s = check_real("mbit_per_s", mbit_per_s, 0)
    file_mb = check_real("file_mb", file_mb, 0, open_min=True)
    return mbit_per_s * 3600.0 / (8.0 * file_mb)
