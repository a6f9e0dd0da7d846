"""The distributed path of README ("Bigger experiments"): ``sweep(..., executor=
client.get_executor())`` on a real dask.distributed cluster gives the local executor's answer.

The cluster is a ``LocalCluster`` of worker *processes* (2 workers, 1 thread each, on loopback,
no dashboard), so every grid point is pickled, shipped to another interpreter, run there and
sent back, as on a remote cluster. Dask is a test tool here (requirements-dev.txt pins
``dask[distributed]``); without it the test is skipped.
"""

from __future__ import annotations

import numpy as np
import pytest

from p2plib.scenarios import PRESETS
from p2plib.sweep import sweep

distributed = pytest.importorskip("distributed", reason="dask[distributed] (requirements-dev)")

#: A tiny grid whose points end differently: no outage, recovered, stuck (days=4 keeps it short).
GRID = {"reboot_fraction": [0.0, 0.3, 0.5], "sn_capacity": [400, 700]}


def _base():
    return PRESETS["skype_2007"]().replace(online_peers=10_000, days=4.0, fix_h=None)


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None,
                                  worker_dashboard_address=None) as cluster, \
            distributed.Client(cluster) as dask_client:
        yield dask_client


@pytest.mark.parametrize("metric", ["outcome", "min_service"])
def test_sweep_on_a_dask_cluster_matches_the_local_executor(client, metric):
    base = _base()
    with distributed.get_task_stream(client) as stream:
        # batch_size=1: one task per grid point, so the count below says every point ran there
        remote = sweep(base, GRID, metric=metric, executor=client.get_executor(),
                       progress=False, batch_size=1)
    local = sweep(base, GRID, metric=metric, progress=False, max_workers=2)

    points = len(GRID["reboot_fraction"]) * len(GRID["sn_capacity"])
    assert remote.values.shape == local.values.shape == (3, 2)
    assert not np.isnan(remote.values).any()
    np.testing.assert_array_equal(remote.values, local.values)   # deterministic model: equal
    assert remote.metric == local.metric == metric
    for name, values in GRID.items():
        np.testing.assert_array_equal(remote.axes[name], values)
    # Every point really ran on the cluster's worker processes.
    workers = set(client.scheduler_info()["workers"])
    ran = [task for task in stream.data if task.get("worker") in workers]
    assert len(ran) >= points, stream.data


def test_grid_is_not_trivial():
    # the comparison above could fail: the grid's points have different outcomes
    local = sweep(_base(), GRID, metric="outcome", progress=False, max_workers=2)
    assert len(set(local.values.ravel().tolist())) >= 2, local.values
