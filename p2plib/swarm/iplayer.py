"""Chapter 05's case in the fluid model's units: a 2008 programme over 2008 broadband.

The chapter's explorers set the audience, the origin servers' capacity, the share of each
viewer's upstream the client uses and how long a viewer keeps seeding; every other number is a
model assumption, gathered in one :class:`BroadbandSetting` (:data:`IPLAYER_2008`): a one-hour
programme of about 350 MB, 2008-era British broadband with 4 Mbit/s down and 448 kbit/s up
(the top of BT's ADSL Max upstream, sources page), viewers who give up after 5 hours stuck on
average. :func:`steady_delivery` and :func:`evening_flash_crowd` run the fluid model
(:mod:`p2plib.swarm.fluid`) for those controls and return typed results.

Examples
--------
>>> from p2plib.swarm import IPLAYER_2008, steady_delivery
>>> IPLAYER_2008.file_mb
350.0
>>> result = steady_delivery(20_000, server_gbps=2.0, upload_share=1.0, seed_hours=1.0)
>>> round(result.assisted.download_time * 60, 1)      # minutes
26.8
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from p2plib._validate import check_array, check_int, check_real
from p2plib.swarm.fluid import (
    FlashCrowd,
    FluidSteadyState,
    files_per_hour,
    flash_crowd,
    fluid_steady_state,
)

__all__ = [
    "IPLAYER_2008",
    "SEED_LIFETIMES_H",
    "BroadbandSetting",
    "SteadyDelivery",
    "evening_flash_crowd",
    "steady_delivery",
]

#: Seed lifetimes (hours) at which :func:`steady_delivery` draws its download-time curve.
SEED_LIFETIMES_H = np.logspace(-2, np.log10(48), 60)
SEED_LIFETIMES_H.setflags(write=False)     # shared by every result that uses the default


@dataclass(frozen=True)
class BroadbandSetting:
    """A programme and the viewers' broadband lines: the assumptions behind chapter 05's rates.

    None of these is a sourced iPlayer figure (the sources page lists what is known: upstreams
    of 160-448 kbit/s on BT's ADSL Max, 2006-2008); they are model assumptions, and the
    explorers' controls vary the rest.

    Attributes
    ----------
    file_mb : float
        Size of the programme in MB (10^6 bytes), ``> 0``.
    download_mbps : float
        A viewer's downstream in Mbit/s, ``> 0``.
    upload_mbps : float
        A viewer's upstream in Mbit/s (0.448: 448 kbit/s), ``>= 0``.
    abort_rate_per_h : float
        θ, per hour: the rate at which a stuck downloader gives up, ``>= 0``.

    References
    ----------
    Course model (chapter 05): assumptions, checked against the sources page's "A British home
    broadband line, 2006-2008" (Coolsmartphone 2006 for the 448 kbit/s upstream).

    Examples
    --------
    >>> setting = BroadbandSetting()
    >>> [round(r, 3) for r in setting.rates(server_gbps=2.0, upload_share=1.0)]  # files/h
    [0.576, 5.143, 2571.429]
    >>> round(setting.gbit_per_s(1000), 3)      # 1000 files per hour
    0.778
    """

    file_mb: float = 350.0
    download_mbps: float = 4.0
    upload_mbps: float = 0.448
    abort_rate_per_h: float = 0.2

    def __post_init__(self):
        check_real("file_mb", self.file_mb, 0, open_min=True)
        check_real("download_mbps", self.download_mbps, 0, open_min=True)
        check_real("upload_mbps", self.upload_mbps, 0)
        check_real("abort_rate_per_h", self.abort_rate_per_h, 0)

    def rates(self, server_gbps, upload_share) -> tuple[float, float, float]:
        """``(μ, c, s)`` in files per hour: a viewer's upload (``upload_share`` of its
        upstream, in [0, 1]), its download, and the servers' ``server_gbps`` Gbit/s."""
        server_gbps = check_real("server_gbps", server_gbps, 0)
        upload_share = check_real("upload_share", upload_share, 0, 1)
        return (files_per_hour(self.upload_mbps * upload_share, self.file_mb),
                files_per_hour(self.download_mbps, self.file_mb),
                files_per_hour(server_gbps * 1000.0, self.file_mb))

    def gbit_per_s(self, files_per_h):
        """A delivery rate in files per hour (number or array) as Gbit/s."""
        return files_per_h * self.file_mb * 8 / 3600 / 1000


#: The chapter's assumptions (see :class:`BroadbandSetting`).
IPLAYER_2008 = BroadbandSetting()


@dataclass(frozen=True, eq=False)
class SteadyDelivery:
    """One audience in steady state, peer-assisted and by the same servers alone.

    Attributes
    ----------
    setting : BroadbandSetting
        The assumptions behind the rates.
    viewers_per_hour : float
        λ, viewers who start the download per hour.
    server_gbps : float
        The origin servers' capacity, Gbit/s.
    seed_hours : float
        1/γ, hours a viewer keeps uploading after finishing.
    assisted : FluidSteadyState
        The peer-assisted steady state.
    alone : FluidSteadyState
        The same servers with no peer upload.
    lifetimes_h : numpy.ndarray
        Seed lifetimes (hours) of the download-time curve.
    assisted_minutes : numpy.ndarray
        Peer-assisted mean download time (minutes) at each of ``lifetimes_h``.

    References
    ----------
    Qiu & Srikant, "Modeling and performance analysis of BitTorrent-like peer-to-peer
    networks", SIGCOMM 2004 (the steady state), with the origin servers of Kontiki (course
    model, chapter 05).

    Examples
    --------
    >>> result = steady_delivery(20_000, 2.0, 1.0, 1.0)
    >>> round(result.alone_minutes), round(result.uploaded_mb_per_viewer)
    (261, 274)
    """

    setting: BroadbandSetting
    viewers_per_hour: float
    server_gbps: float
    seed_hours: float
    assisted: FluidSteadyState
    alone: FluidSteadyState
    lifetimes_h: np.ndarray
    assisted_minutes: np.ndarray

    @property
    def alone_minutes(self) -> float:
        """Mean download time with the servers alone (minutes)."""
        return self.alone.download_time * 60

    @property
    def downloaded_mb_per_viewer(self) -> float:
        """MB the average arriving viewer downloads (the programme, times the share who
        finish rather than give up); 0 with no viewers."""
        lam = self.viewers_per_hour
        return self.assisted.completion_rate / lam * self.setting.file_mb if lam > 0 else 0.0

    @property
    def uploaded_mb_per_viewer(self) -> float:
        """MB the average arriving viewer uploads to other viewers; 0 with no viewers."""
        lam = self.viewers_per_hour
        return self.assisted.peer_rate_used / lam * self.setting.file_mb if lam > 0 else 0.0


def steady_delivery(viewers_per_hour, server_gbps, upload_share, seed_hours, *,
                    setting=IPLAYER_2008, lifetimes_h=SEED_LIFETIMES_H) -> SteadyDelivery:
    """Steady state of one audience, peer-assisted and by the servers alone (fluid model).

    Runs :func:`~p2plib.swarm.fluid.fluid_steady_state` with the rates of ``setting``: once
    with peers uploading, once without (the servers alone, same capacity), and once per seed
    lifetime in ``lifetimes_h`` for the curve of download time against how long viewers seed.

    Parameters
    ----------
    viewers_per_hour : float
        λ, viewers who start the download per hour, ``>= 0``.
    server_gbps : float
        The origin servers' total upload in Gbit/s, ``>= 0``.
    upload_share : float
        Share of each viewer's upstream the client uses, in ``[0, 1]``.
    seed_hours : float
        1/γ, hours a viewer keeps uploading after finishing, ``> 0``.
    setting : BroadbandSetting, keyword-only
        File size, link speeds and abort rate (default :data:`IPLAYER_2008`).
    lifetimes_h : array_like, keyword-only
        Seed lifetimes (hours, each ``> 0``) for the download-time curve.

    Returns
    -------
    SteadyDelivery
        Both steady states and the curve (minutes).

    References
    ----------
    Qiu & Srikant, "Modeling and performance analysis of BitTorrent-like peer-to-peer
    networks", SIGCOMM 2004; course model (chapter 05) for the servers and the assumptions.

    Examples
    --------
    >>> result = steady_delivery(20_000, server_gbps=2.0, upload_share=1.0, seed_hours=1.0)
    >>> result.assisted.regime, round(result.assisted.peer_share, 2)
    ('upload-constrained', 0.86)
    """
    if not isinstance(setting, BroadbandSetting):
        raise TypeError(f"setting must be a BroadbandSetting, got {type(setting).__name__}")
    viewers = check_real("viewers_per_hour", viewers_per_hour, 0)
    seed_hours = check_real("seed_hours", seed_hours, 0, open_min=True)
    lifetimes = check_array("lifetimes_h", lifetimes_h, 0)
    if lifetimes.ndim != 1 or not np.all(lifetimes > 0):
        raise ValueError("lifetimes_h must be a 1-d array of seed lifetimes > 0 (hours)")
    mu, c, s = setting.rates(server_gbps, upload_share)
    theta = setting.abort_rate_per_h

    def state(lifetime, upload):
        return fluid_steady_state(viewers, upload, c, 1.0 / lifetime, theta, server_rate=s)

    curve = np.array([state(t, mu).download_time for t in lifetimes]) * 60
    return SteadyDelivery(setting, viewers, float(server_gbps), seed_hours, state(seed_hours, mu),
                          state(seed_hours, 0.0), lifetimes, curve)


def evening_flash_crowd(audience, server_gbps, upload_share, seed_hours, *,
                        setting=IPLAYER_2008, decay_hours=1.0, start=20.0, end=32.0,
                        step_minutes=5) -> FlashCrowd:
    """An episode released at 9 pm, peer-assisted and by the same servers alone (fluid model).

    :func:`~p2plib.swarm.fluid.flash_crowd` with the rates of ``setting``, reported at evenly
    spaced points from ``start`` to ``end`` (hours of the day; 24 is midnight), ``step_minutes``
    apart when the period is a whole number of steps.

    Parameters
    ----------
    audience : float
        Viewers who download the episode tonight, ``>= 0``.
    server_gbps : float
        The origin servers' total upload in Gbit/s, ``>= 0``.
    upload_share : float
        Share of each viewer's upstream the client uses, in ``[0, 1]``.
    seed_hours : float
        1/γ, hours a viewer keeps uploading after finishing, ``> 0``.
    setting : BroadbandSetting, keyword-only
        File size, link speeds and abort rate (default :data:`IPLAYER_2008`).
    decay_hours : float, keyword-only
        Time constant of the decaying arrival rate, hours, ``> 0`` (half the audience
        arrives within ``0.69 · decay_hours``).
    start, end : float, keyword-only
        First and last hour of the day reported (``end > start``, at most 10,000 steps apart).
    step_minutes : int, keyword-only
        Minutes between reported points, ``>= 1``.

    Returns
    -------
    FlashCrowd
        Both trajectories at ``start, start + step, ..., end``.

    References
    ----------
    Qiu & Srikant (SIGCOMM 2004) with the exponentially decaying arrivals of Guo et al.
    (IMC 2005), as combined by Susitaival & Aalto (IWSOS 2006); course model (chapter 05) for
    the servers and the assumptions.

    Examples
    --------
    >>> crowd = evening_flash_crowd(100_000, server_gbps=2.0, upload_share=1.0, seed_hours=1.0)
    >>> len(crowd.peer_assisted.times), round(float(crowd.peer_assisted.times[1]) * 60)  # min
    (145, 1205)
    """
    if not isinstance(setting, BroadbandSetting):
        raise TypeError(f"setting must be a BroadbandSetting, got {type(setting).__name__}")
    seed_hours = check_real("seed_hours", seed_hours, 0, open_min=True)
    decay_hours = check_real("decay_hours", decay_hours, 0, open_min=True)
    step_minutes = check_int("step_minutes", step_minutes, minimum=1)
    start, end = check_real("start", start), check_real("end", end)
    if end <= start:
        raise ValueError(f"end must be later than start ({start:g} h), got {end:g}")
    points = int((end - start) * 60 / step_minutes) + 1
    if points > 10_001:
        raise ValueError(f"start and end must be at most 10,000 steps of step_minutes apart, "
                         f"got {points - 1:,} steps")
    mu, c, s = setting.rates(server_gbps, upload_share)
    return flash_crowd(audience, decay_hours, mu, c, 1.0 / seed_hours, s,
                       abort_rate=setting.abort_rate_per_h, start=start, end=end,
                       points=points)
