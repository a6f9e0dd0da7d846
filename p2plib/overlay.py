"""Unstructured overlays: who is linked to whom, and what survives when peers fail.

An overlay is a simple undirected graph over ``n`` peers, stored as a sorted array of links
``(u, v)`` with ``u < v``. The same code builds 50 peers for a drawing and 10^6 or more for
statistics: generation is vectorised numpy and connected components come from
``scipy.sparse.csgraph``. networkx is used only to convert small overlays for drawing.

Theory used here
----------------
* Erdős–Rényi random graphs G(n, p) (Erdős & Rényi 1960) and the configuration model with a
  power-law degree sequence (Molloy & Reed 1995; Newman, Strogatz & Watts 2001).
* Two-tier overlays (ordinary peers attached to supernodes), the shape of Skype's network
  (Baset & Schulzrinne 2006): two groups of degrees, not a power law.
* Robustness to failures as site percolation: random failure vs attack on the best-connected
  peers (Albert, Jeong & Barabási, Nature 2000; Callaway, Newman, Strogatz & Watts, PRL 2000)
  and the random-failure threshold of Cohen, Erez, ben-Avraham & Havlin (PRL 2000).

Examples
--------
>>> from p2plib.overlay import random_overlay, surviving_giant_fraction
>>> overlay = random_overlay(10_000, mean_degree=4, seed=1)
>>> overlay.n
10000
>>> 0.9 < surviving_giant_fraction(overlay, 0.0) < 1.0
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import optimize, sparse, special
from scipy.sparse import csgraph

from p2plib._validate import as_rng, check_array, check_choice, check_int, check_real

__all__ = [
    "STRATEGIES",
    "FailureCurves",
    "Overlay",
    "critical_failed_fraction",
    "er_giant_fraction",
    "failure_curves",
    "failure_order",
    "giant_fraction_curve",
    "giant_fraction_theory",
    "random_overlay",
    "scale_free_overlay",
    "surviving_giant_fraction",
    "two_tier_overlay",
]

#: Failure strategies understood by :func:`surviving_giant_fraction`.
STRATEGIES = ("random", "targeted")


@dataclass(frozen=True, eq=False)
class Overlay:
    """An immutable simple undirected overlay of ``n`` peers.

    Parameters
    ----------
    n : int
        Number of peers, labelled ``0 .. n-1``.
    edges : numpy.ndarray of shape (m, 2)
        The links, each row ``(u, v)`` with ``u < v``, rows sorted and unique. Use
        :meth:`from_edges` to build an overlay from any list of links.

    Attributes
    ----------
    n : int
        Number of peers.
    edges : int64 array of shape (m, 2)
        The links (read-only).
    m : int
        Number of links (a property).
    adjacency : scipy.sparse.csr_array
        Symmetric adjacency matrix, built once (a cached property).

    References
    ----------
    Course model (chapter 01): a simple undirected graph, the usual model of an unstructured
    overlay (e.g. J. F. Kurose and K. W. Ross, *Computer Networking: A Top-Down Approach*,
    chapter 2, peer-to-peer).

    Examples
    --------
    >>> ring = Overlay.from_edges(4, [(0, 1), (1, 2), (2, 3), (3, 0)])
    >>> ring.degrees().tolist()
    [2, 2, 2, 2]
    """

    n: int
    edges: np.ndarray

    def __post_init__(self):
        n = check_int("n", self.n, minimum=0)
        edges = np.asarray(self.edges)
        if edges.size == 0:
            edges = np.empty((0, 2), dtype=np.int64)
        if edges.ndim != 2 or edges.shape[1] != 2 or not np.issubdtype(edges.dtype, np.integer):
            raise ValueError(f"edges must be an integer array of shape (m, 2), got {edges.shape}")
        edges = edges.astype(np.int64, copy=True)
        if len(edges):
            if edges.min() < 0 or edges.max() >= n:
                raise ValueError(f"edges must name peers in [0, {n - 1}]")
            keys = edges[:, 0] * n + edges[:, 1]
            if np.any(edges[:, 0] >= edges[:, 1]) or np.any(np.diff(keys) <= 0):
                raise ValueError(
                    "edges must be sorted unique rows (u, v) with u < v; "
                    "use Overlay.from_edges to build from any list of links"
                )
        edges.flags.writeable = False
        object.__setattr__(self, "n", n)
        object.__setattr__(self, "edges", edges)

    @classmethod
    def from_edges(cls, n, edges) -> Overlay:
        """Build an overlay from any links: drops self-loops and repeated links."""
        n = check_int("n", n, minimum=0)
        edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
        if len(edges) and (edges.min() < 0 or edges.max() >= n):
            raise ValueError(f"edges must name peers in [0, {n - 1}]")
        return cls(n, _canonical_edges(n, edges[:, 0], edges[:, 1]))

    @classmethod
    def from_networkx(cls, graph: nx.Graph) -> Overlay:
        """Build an overlay from a networkx graph; peers are numbered in ``graph``'s node order."""
        if not isinstance(graph, nx.Graph):
            raise TypeError(f"graph must be a networkx Graph, got {type(graph).__name__}")
        index = {node: i for i, node in enumerate(graph.nodes)}
        links = [(index[u], index[v]) for u, v in graph.edges()]
        return cls.from_edges(len(index), links)

    def to_networkx(self) -> nx.Graph:
        """Return the overlay as a ``networkx.Graph`` on nodes ``0 .. n-1`` (for small overlays)."""
        graph = nx.Graph()
        graph.add_nodes_from(range(self.n))
        graph.add_edges_from(self.edges.tolist())
        return graph

    @property
    def m(self) -> int:
        """Number of links."""
        return len(self.edges)

    def degrees(self) -> np.ndarray:
        """Number of links of each peer, as an int64 array of length ``n``."""
        return np.bincount(self.edges.ravel(), minlength=self.n).astype(np.int64)

    @functools.cached_property
    def adjacency(self) -> sparse.csr_array:
        """Symmetric adjacency matrix (CSR), built once and cached."""
        u, v = self.edges[:, 0], self.edges[:, 1]
        ones = np.ones(2 * self.m, dtype=np.int8)
        return sparse.csr_array(
            (ones, (np.concatenate([u, v]), np.concatenate([v, u]))), shape=(self.n, self.n)
        )

    def __repr__(self) -> str:
        return f"Overlay(n={self.n}, m={self.m})"


def _canonical_edges(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Sorted unique ``(min, max)`` rows without self-loops."""
    low, high = np.minimum(u, v), np.maximum(u, v)
    keep = low != high
    keys = np.unique(low[keep] * np.int64(n) + high[keep])
    return np.column_stack([keys // n, keys % n])


def _pair_from_index(n: int, k: np.ndarray) -> np.ndarray:
    """Decode sorted row-major indices ``k`` of pairs ``(i, j)``, ``i < j``, into peer pairs."""
    rows = np.arange(n, dtype=np.int64)
    row_start = rows * (2 * n - 1 - rows) // 2  # index of pair (i, i + 1)
    per_row = np.diff(np.searchsorted(k, row_start), append=len(k))
    i = np.repeat(rows, per_row)
    return np.column_stack([i, k - row_start[i] + i + 1])


def random_overlay(n, mean_degree, seed=None) -> Overlay:
    """Erdős–Rényi random overlay G(n, p) with ``p = mean_degree / (n - 1)``.

    Every one of the ``n (n-1) / 2`` possible links is present independently with probability
    ``p``. Links are drawn by geometric skipping over the pair index (Batagelj & Brandes 2005),
    so the cost grows with the number of links, not with ``n**2``.

    Parameters
    ----------
    n : int
        Number of peers, ``n >= 1``.
    mean_degree : float
        Expected number of links per peer, in ``[0, n - 1]``.
    seed : None, int or numpy.random.Generator
        Source of randomness; the same seed gives the same overlay.

    Returns
    -------
    Overlay
        ``n`` peers; the number of links is Binomial(n (n-1) / 2, p).

    References
    ----------
    P. Erdős and A. Rényi, "On the evolution of random graphs", *Publ. Math. Inst. Hung. Acad.
    Sci.* 5, 1960; V. Batagelj and U. Brandes, "Efficient generation of large random
    networks", *Phys. Rev. E* 71, 036113, 2005 (geometric skipping).

    Examples
    --------
    >>> overlay = random_overlay(100_000, mean_degree=6, seed=7)
    >>> round(float(overlay.degrees().mean()), 1)
    6.0
    """
    n = check_int("n", n, minimum=1)
    mean_degree = check_real("mean_degree", mean_degree, 0, max(n - 1, 0))
    rng = as_rng(seed)
    pairs = n * (n - 1) // 2
    p = mean_degree / (n - 1) if n > 1 else 0.0
    if pairs == 0 or p == 0.0:  # (p underflows to 0 for subnormal mean degrees)
        return Overlay(n, np.empty((0, 2), dtype=np.int64))
    if p >= 1.0:
        k = np.arange(pairs, dtype=np.int64)
    else:
        chunks, last, expected = [], -1, pairs * p
        while last < pairs:
            size = int(expected + 6 * np.sqrt(expected) + 16)
            steps = rng.geometric(p, size=size).astype(np.int64)
            steps[(steps <= 0) | (steps > pairs)] = pairs + 1  # tiny p: past the last pair
            chunk = last + np.cumsum(steps)
            chunks.append(chunk)
            last = int(chunk[-1])
        k = np.concatenate(chunks)
        k = k[k < pairs]
    return Overlay(n, _pair_from_index(n, k))


def scale_free_overlay(n, exponent, min_degree=1, seed=None) -> Overlay:
    """Configuration-model overlay with power-law degrees ``P(k) ~ k**-exponent``.

    Degrees are drawn from the discrete power law on ``min_degree <= k <= K`` with the natural
    cutoff ``K = min_degree * n ** (1 / (exponent - 1))`` (Cohen et al. 2000), capped at
    ``n - 1``. Link ends ("stubs") are paired at random and the result is made simple by erasing
    self-loops and repeated links (the erased configuration model), which trims a few links
    from the largest hubs.

    Parameters
    ----------
    n : int
        Number of peers, ``n >= min_degree + 1``.
    exponent : float
        Power-law exponent γ, in ``(2, 10]``: above 2 the mean degree is finite.
    min_degree : int
        Smallest degree drawn, ``>= 1``.
    seed : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    Overlay
        ``n`` peers, their degrees close to the drawn power law (a few hub links erased).

    References
    ----------
    M. Molloy and B. Reed, "A critical point for random graphs with a given degree sequence",
    *Random Structures & Algorithms* 6, 1995 (the configuration model); R. Cohen, K. Erez,
    D. ben-Avraham and S. Havlin, *Phys. Rev. Lett.* 85, 4626, 2000 (the natural cutoff).

    Examples
    --------
    >>> overlay = scale_free_overlay(50_000, exponent=2.5, min_degree=2, seed=3)
    >>> int(overlay.degrees().min()) >= 0 and int(overlay.degrees().max()) > 100
    True
    """
    n = check_int("n", n, minimum=2)
    exponent = check_real("exponent", exponent, 2, 10, open_min=True)
    min_degree = check_int("min_degree", min_degree, minimum=1, maximum=n - 1)
    rng = as_rng(seed)
    cutoff = int(min(n - 1, np.floor(min_degree * n ** (1.0 / (exponent - 1.0)))))
    support = np.arange(min_degree, cutoff + 1, dtype=np.float64)
    cdf = np.cumsum(support**-exponent)
    cdf /= cdf[-1]
    degrees = min_degree + np.searchsorted(cdf, rng.random(n), side="right").astype(np.int64)
    degrees = np.minimum(degrees, cutoff)
    if degrees.sum() % 2:
        degrees[rng.integers(n)] += 1
    stubs = np.repeat(np.arange(n, dtype=np.int64), degrees)
    rng.shuffle(stubs)
    return Overlay(n, _canonical_edges(n, stubs[0::2], stubs[1::2]))


def two_tier_overlay(n, supernode_share, links_per_peer=1, supernode_mean_degree=10.0,
                     seed=None) -> Overlay:
    """Two-tier overlay: ordinary peers attach to supernodes, supernodes link among themselves.

    Peers ``0 .. s-1`` are the ``s = max(1, round(supernode_share * n))`` supernodes; they form
    a random overlay G(s, p) with mean degree ``supernode_mean_degree``. Each ordinary peer
    links to ``links_per_peer`` supernodes drawn uniformly at random (a repeated draw is kept
    once, so a few peers end with fewer links). This is the shape of Skype's 2004-2010 overlay
    (Baset & Schulzrinne 2006; Skype's 2010 post-mortem: each supernode serves several hundred
    peers), with the numbers left to the caller. Degrees fall into two groups: about
    ``links_per_peer`` for ordinary peers and, for supernodes, about
    ``links_per_peer * (n - s) / s + supernode_mean_degree``.

    Parameters
    ----------
    n : int
        Number of peers in all, ``>= 2``.
    supernode_share : float
        Share of peers that are supernodes, in ``(0, 1)``.
    links_per_peer : int
        Supernodes each ordinary peer connects to, in ``[1, s]``.
    supernode_mean_degree : float
        Mean number of links from a supernode to other supernodes, in ``[0, s - 1]``.
    seed : None, int or numpy.random.Generator
        Source of randomness.

    Returns
    -------
    Overlay
        ``n`` peers, the supernodes numbered first.

    References
    ----------
    S. A. Baset and H. G. Schulzrinne, "An analysis of the Skype peer-to-peer Internet
    telephony protocol", IEEE INFOCOM 2006; L. Rabbe, "CIO update: Post-mortem on the Skype
    outage", Skype, 29 December 2010 ("several hundred" peers per supernode).

    Examples
    --------
    >>> net = two_tier_overlay(30_000, supernode_share=1 / 300, seed=1)
    >>> k = net.degrees()
    >>> int(k[100:].max()), round(float(k[:100].mean()))   # ordinary peers; supernodes
    (1, 309)
    """
    n = check_int("n", n, minimum=2)
    supernode_share = check_real("supernode_share", supernode_share, 0, 1, open_min=True,
                                 open_max=True)
    supernodes = max(1, round(supernode_share * n))
    links_per_peer = check_int("links_per_peer", links_per_peer, minimum=1,
                               maximum=supernodes)
    supernode_mean_degree = check_real("supernode_mean_degree", supernode_mean_degree, 0,
                                       max(supernodes - 1, 0))
    rng = as_rng(seed)
    core = random_overlay(supernodes, supernode_mean_degree, seed=rng).edges
    peers = np.repeat(np.arange(supernodes, n, dtype=np.int64), links_per_peer)
    chosen = rng.integers(0, supernodes, size=peers.size, dtype=np.int64)
    edges = np.concatenate([core, np.column_stack([chosen, peers])])
    return Overlay(n, _canonical_edges(n, edges[:, 0], edges[:, 1]))


def failure_order(overlay: Overlay, strategy="random", seed=None) -> np.ndarray:
    """The order in which peers fail under ``strategy`` (a permutation of ``0 .. n-1``).

    ``"random"``: uniformly at random. ``"targeted"``: highest degree first (an attack on the
    hubs, Albert et al. 2000), ties broken at random.

    Parameters
    ----------
    overlay : Overlay
        The peers and their links.
    strategy : {"random", "targeted"}
        Which peers fail first.
    seed : None, int or numpy.random.Generator
        Chooses the order (and breaks ties between equal degrees).

    Returns
    -------
    numpy.ndarray of int, length ``overlay.n``
        Peer indices, the first to fail first.

    References
    ----------
    R. Albert, H. Jeong and A.-L. Barabási, "Error and attack tolerance of complex networks",
    *Nature* 406, 378-382, 2000.

    Examples
    --------
    >>> star = Overlay.from_edges(4, [(0, 1), (0, 2), (0, 3)])
    >>> int(failure_order(star, "targeted", seed=1)[0])      # the hub goes first
    0
    """
    _check_overlay(overlay)
    strategy = check_choice("strategy", strategy, STRATEGIES)
    rng = as_rng(seed)
    if strategy == "random":
        return rng.permutation(overlay.n)
    return np.lexsort((rng.random(overlay.n), -overlay.degrees()))


def _largest_alive_component(overlay: Overlay, alive: np.ndarray) -> int:
    """Size of the largest connected component among the ``alive`` peers."""
    if not alive.any():
        return 0
    u, v = overlay.edges[:, 0], overlay.edges[:, 1]
    keep = alive[u] & alive[v]
    graph = sparse.coo_array(
        (np.ones(int(keep.sum()), dtype=np.int8), (u[keep], v[keep])), shape=(overlay.n,) * 2
    )
    _, labels = csgraph.connected_components(graph, directed=False)
    return int(np.bincount(labels, weights=alive).max())


def surviving_giant_fraction(overlay, failed_fraction, strategy="random", seed=None) -> float:
    """Fraction of ALL ``n`` peers in the largest connected group of the peers that did not fail.

    ``round(failed_fraction * n)`` peers fail, chosen by ``strategy``; the answer is the size of
    the largest connected component of the survivors divided by ``n`` (the "giant component",
    the peers that can still reach one another).

    Parameters
    ----------
    overlay : Overlay
        The peers and their links.
    failed_fraction : float
        Share of peers that fail, in ``[0, 1]``.
    strategy : {"random", "targeted"}
        ``"random"``: uniform failures; ``"targeted"``: highest-degree peers first.
    seed : None, int or numpy.random.Generator
        Chooses the failing peers (and breaks ties between equal degrees).

    Returns
    -------
    float
        Share of all peers in the survivors' largest component, in ``[0, 1]``.

    References
    ----------
    Site percolation on networks: D. S. Callaway, M. E. J. Newman, S. H. Strogatz and
    D. J. Watts, *Phys. Rev. Lett.* 85, 5468, 2000; Albert, Jeong & Barabási, *Nature*, 2000.

    Examples
    --------
    >>> overlay = random_overlay(20_000, mean_degree=3, seed=2)
    >>> surviving_giant_fraction(overlay, 0.9, seed=2) < 0.01   # 3 * 0.1 < 1: no giant left
    True
    """
    _check_overlay(overlay)
    failed_fraction = check_real("failed_fraction", failed_fraction, 0, 1)
    return float(giant_fraction_curve(overlay, [failed_fraction], strategy, seed)[0])


def giant_fraction_curve(overlay, failed_fractions, strategy="random", seed=None) -> np.ndarray:
    """:func:`surviving_giant_fraction` at several failed fractions with ONE failure order.

    The peers that fail at a smaller fraction also fail at every larger one (the failures
    accumulate), so the returned curve never increases with the failed fraction.

    Parameters
    ----------
    overlay : Overlay
        The peers and their links.
    failed_fractions : array_like of float
        Shares of peers failed, each in ``[0, 1]`` (one-dimensional).
    strategy : {"random", "targeted"}
        ``"random"``: uniform failures; ``"targeted"``: highest-degree peers first.
    seed : None, int or numpy.random.Generator
        Chooses the failure order (one order for the whole curve).

    Returns
    -------
    numpy.ndarray of float, same length as ``failed_fractions``
        Share of all peers in the survivors' largest component, each in ``[0, 1]``.

    References
    ----------
    Callaway, Newman, Strogatz & Watts, *Phys. Rev. Lett.* 85, 5468, 2000 (site percolation).

    Examples
    --------
    >>> overlay = random_overlay(10_000, mean_degree=4, seed=0)
    >>> curve = giant_fraction_curve(overlay, [0.0, 0.5, 0.9], seed=0)
    >>> bool(curve[0] >= curve[1] >= curve[2])
    True
    """
    _check_overlay(overlay)
    fractions = check_array("failed_fractions", failed_fractions, 0, 1)
    if fractions.ndim != 1:
        raise ValueError("failed_fractions must be a one-dimensional sequence of numbers")
    if overlay.n == 0:
        return np.zeros(len(fractions))
    order = failure_order(overlay, strategy, seed)
    rank = np.empty(overlay.n, dtype=np.int64)
    rank[order] = np.arange(overlay.n)
    failed_counts = np.rint(fractions * overlay.n).astype(np.int64)
    return np.array([_largest_alive_component(overlay, rank >= c) for c in failed_counts]) / (
        overlay.n
    )


@dataclass(frozen=True, eq=False)
class FailureCurves:
    """What is left of an overlay's giant component as peers fail, per failure strategy.

    Built by :func:`failure_curves`. All shares are of ALL peers.

    Attributes
    ----------
    failed_fractions : numpy.ndarray of float
        Shares of peers failed at which the simulation measured, each in ``[0, 1]``.
    simulated : dict of strategy -> numpy.ndarray
        Measured giant-component share at each failed fraction, in ``[0, 1]``.
    theory : dict of strategy -> (grid, share)
        Failed fractions and the giant share :func:`giant_fraction_theory` predicts there.
    threshold : float
        The random-failure threshold ``f_c`` of :func:`critical_failed_fraction`, in
        ``[0, 1)``.

    References
    ----------
    Callaway, Newman, Strogatz & Watts, PRL 2000 (theory); Cohen, Erez, ben-Avraham &
    Havlin, PRL 2000 (threshold).

    Examples
    --------
    >>> curves = failure_curves(random_overlay(2000, 4, seed=1), [0.0, 0.5], seed=1,
    ...                         theory_points=3)
    >>> curves.theory["random"][0].tolist()
    [0.0, 0.5, 1.0]
    """

    failed_fractions: np.ndarray
    simulated: dict
    theory: dict
    threshold: float


def failure_curves(overlay, failed_fractions, seed=None, theory_points=201) -> FailureCurves:
    """Simulation and theory of the giant component under every strategy of :data:`STRATEGIES`.

    Parameters
    ----------
    overlay : Overlay
        The peers and their links.
    failed_fractions : array_like of float
        Shares of peers failed, each in ``[0, 1]``, at which the simulation measures.
    seed : None, int or numpy.random.Generator
        The same seed for every strategy's failure order (see :func:`giant_fraction_curve`).
    theory_points : int
        Points of the theory curves, evenly spaced over ``[0, 1]``, ``>= 2``.

    Returns
    -------
    FailureCurves
        Simulated and theoretical shares per strategy, and the threshold.

    References
    ----------
    Callaway, Newman, Strogatz & Watts, *Phys. Rev. Lett.* 85, 5468, 2000; Albert, Jeong &
    Barabási, *Nature* 406, 2000; Cohen, Erez, ben-Avraham & Havlin, *Phys. Rev. Lett.* 85,
    4626, 2000.

    Examples
    --------
    >>> net = random_overlay(20_000, mean_degree=4, seed=1)
    >>> curves = failure_curves(net, [0.0, 0.5], seed=2, theory_points=11)
    >>> round(curves.threshold, 2), sorted(curves.simulated)
    (0.75, ['random', 'targeted'])
    >>> round(float(curves.simulated["random"][1]), 2)     # theory: er_giant_fraction(4, 0.5)
    0.4
    """
    _check_overlay(overlay)
    theory_points = check_int("theory_points", theory_points, minimum=2)
    fractions = check_array("failed_fractions", failed_fractions, 0, 1)
    degrees = overlay.degrees()
    grid = np.linspace(0.0, 1.0, theory_points)
    return FailureCurves(
        failed_fractions=fractions,
        simulated={s: giant_fraction_curve(overlay, fractions, s, seed=seed) for s in STRATEGIES},
        theory={s: (grid, giant_fraction_theory(degrees, grid, s)) for s in STRATEGIES},
        threshold=critical_failed_fraction(degrees),
    )


def _check_overlay(overlay):
    if not isinstance(overlay, Overlay):
        raise TypeError(f"overlay must be a p2plib Overlay, got {type(overlay).__name__}")


def _check_degrees(degrees) -> np.ndarray:
    degrees = np.asarray(degrees)
    if degrees.ndim != 1 or degrees.size == 0:
        raise ValueError("degrees must be a non-empty one-dimensional array of peer degrees")
    numeric = np.issubdtype(degrees.dtype, np.number)
    if not numeric or np.issubdtype(degrees.dtype, np.complexfloating):
        raise TypeError("degrees must be numbers (links per peer)")
    if not np.all(np.isfinite(degrees)) or np.any(degrees < 0):
        raise ValueError("degrees must be finite and >= 0")
    if np.any(degrees != np.round(degrees)):
        raise ValueError("degrees must be whole numbers of links")
    return degrees.astype(np.int64)


def critical_failed_fraction(degrees) -> float:
    """Random-failure threshold of Cohen, Erez, ben-Avraham & Havlin (PRL 2000).

    For a random network with this degree sequence, the giant component disappears when more
    than ``f_c = 1 - 1 / (kappa - 1)`` of the peers fail at random, where
    ``kappa = <k^2> / <k>``. By the Molloy–Reed criterion there is a giant component only when
    ``kappa > 2``; otherwise the threshold is ``0.0``.

    Parameters
    ----------
    degrees : array_like of int
        Degree of every peer (links per peer), e.g. ``overlay.degrees()``.

    Returns
    -------
    float
        Share of peers whose random failure destroys the giant component, in ``[0, 1)``.

    References
    ----------
    R. Cohen, K. Erez, D. ben-Avraham and S. Havlin, "Resilience of the Internet to random
    breakdowns", *Phys. Rev. Lett.* 85, 4626, 2000; M. Molloy and B. Reed, *Random Structures
    & Algorithms* 6, 1995.

    Examples
    --------
    >>> critical_failed_fraction([4] * 1000)        # kappa = 4
    0.6666666666666667
    >>> critical_failed_fraction([1] * 1000)        # kappa = 1 < 2: no giant component
    0.0
    """
    degrees = _check_degrees(degrees).astype(np.float64)
    mean = degrees.mean()
    if mean == 0:
        return 0.0
    kappa = (degrees**2).mean() / mean
    if kappa <= 2:
        return 0.0
    return float(1.0 - 1.0 / (kappa - 1.0))


def _occupation(degrees: np.ndarray, failed_fraction: float, strategy: str):
    """Degree distribution ``p_k`` and share ``phi_k`` of degree-k peers that survive."""
    counts = np.bincount(degrees).astype(np.float64)
    n = len(degrees)
    p_k = counts / n
    if strategy == "random":
        return p_k, np.full_like(p_k, 1.0 - failed_fraction)
    # targeted: remove from the highest degree down
    remove = failed_fraction * n
    # peers of degree > k, removed before any of degree k
    removed_above = np.concatenate([np.cumsum(counts[::-1])[::-1][1:], [0.0]])
    removed_here = np.clip(remove - removed_above, 0, counts)
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(counts > 0, 1.0 - removed_here / counts, 1.0)
    return p_k, phi


def giant_fraction_theory(degrees, failed_fraction, strategy="random") -> np.ndarray | float:
    """Expected giant-component share of ALL peers after failures, from generating functions.

    Site percolation on a random network with the given degree sequence (Callaway, Newman,
    Strogatz & Watts, PRL 2000): if ``phi_k`` is the share of degree-``k`` peers that survive,
    ``F0(x) = sum_k p_k phi_k x^k`` and ``F1(x) = sum_k k p_k phi_k x^(k-1) / <k>``, then the
    probability ``u`` that a link does not lead to the giant component is the smallest root of
    ``u = 1 - F1(1) + F1(u)`` in [0, 1] and the giant share is ``S = F0(1) - F0(u)``. For random
    failures ``phi_k = 1 - f``; a targeted attack removes the highest degrees first.
    Exact as ``n -> infinity`` for configuration-model overlays; for G(n, p) it reduces to
    ``S = q s`` with ``s = 1 - exp(-c q s)``, ``q = 1 - f``.

    Parameters
    ----------
    degrees : array_like of int
        Degree of every peer (links per peer, whole numbers ``>= 0``).
    failed_fraction : float or array_like
        Share of peers that fail, each in ``[0, 1]``.
    strategy : {"random", "targeted"}
        ``"random"``: uniform failures; ``"targeted"``: highest-degree peers first.

    Returns
    -------
    float or numpy.ndarray (same shape as ``failed_fraction``)
        Expected share of all peers in the giant component, each in ``[0, 1]``.

    References
    ----------
    D. S. Callaway, M. E. J. Newman, S. H. Strogatz and D. J. Watts, "Network robustness and
    fragility: percolation on random graphs", *Phys. Rev. Lett.* 85, 5468, 2000.

    Examples
    --------
    >>> round(giant_fraction_theory([4] * 10_000, 0.0), 4)    # 4-regular: every peer connected
    1.0
    """
    degrees = _check_degrees(degrees)
    strategy = check_choice("strategy", strategy, STRATEGIES)
    fractions = check_array("failed_fraction", failed_fraction, 0, 1)
    result = np.empty(fractions.shape)
    for index, f in np.ndenumerate(fractions):
        f = check_real("failed_fraction", f, 0, 1)
        result[index] = _giant_share(*_occupation(degrees, f, strategy))
    return float(result) if result.ndim == 0 else result


def _giant_share(p_k: np.ndarray, phi: np.ndarray) -> float:
    k = np.arange(len(p_k), dtype=np.float64)
    mean_degree = float((k * p_k).sum())
    if mean_degree == 0:
        return 0.0
    weights1 = k * p_k * phi / mean_degree  # coefficients of F1 (times x^(k-1))
    f1_at_one = weights1.sum()
    # only the degrees that surviving peers have (a few hundred of up to n): faster root finding
    present = np.flatnonzero(weights1)
    weights1_present, powers = weights1[present], k[present] - 1

    def link_equation(u):  # h(u) = 1 - F1(1) + F1(u) - u, convex with h(1) = 0
        return 1.0 - f1_at_one + (weights1_present * u ** powers).sum() - u

    slope_at_one = float((weights1 * (k - 1)).sum()) - 1.0
    if slope_at_one <= 0:  # subcritical or critical: no giant component
        return 0.0
    if link_equation(0.0) <= 0:
        u = 0.0
    else:
        for gap in (1e-3, 1e-6, 1e-9, 1e-12):
            if link_equation(1.0 - gap) < 0:
                break
        else:
            return 0.0
        u = optimize.brentq(link_equation, 0.0, 1.0 - gap, xtol=1e-14)
    share = (p_k * phi).sum() - (p_k * phi * u**k).sum()
    return float(min(max(share, 0.0), 1.0))


def er_giant_fraction(mean_degree, failed_fraction=0.0) -> float:
    """Giant-component share of ALL peers of G(n, p) after random failure, as n -> infinity.

    With ``c`` the mean degree and ``q = 1 - failed_fraction`` the surviving share, the
    survivors form G(qn, p) of mean degree ``c q`` whose giant share ``s`` solves
    ``s = 1 - exp(-c q s)`` (Erdős & Rényi 1960), in closed form
    ``s = 1 + W(-c q exp(-c q)) / (c q)`` with Lambert's W; the answer is ``q s``.

    Parameters
    ----------
    mean_degree : float
        Mean links per peer ``c``, ``>= 0``.
    failed_fraction : float
        Share of peers that fail at random, in ``[0, 1]``.

    Returns
    -------
    float
        Share of all peers in the giant component, in ``[0, 1)``.

    References
    ----------
    P. Erdős and A. Rényi, "On the evolution of random graphs", *Publ. Math. Inst. Hung. Acad.
    Sci.* 5, 17-61, 1960.

    Examples
    --------
    >>> round(er_giant_fraction(2.0), 4)
    0.7968
    >>> er_giant_fraction(4.0, failed_fraction=0.8)    # c q = 0.8 < 1: no giant component
    0.0
    """
    mean_degree = check_real("mean_degree", mean_degree, 0)
    failed_fraction = check_real("failed_fraction", failed_fraction, 0, 1)
    q = 1.0 - failed_fraction
    cq = mean_degree * q
    if cq <= 1.0:
        return 0.0
    s = 1.0 + special.lambertw(-cq * np.exp(-cq)).real / cq
    return float(q * s)
