"""Training on a real Ray cluster of two nodes on this machine (not a mock): the cluster extra.

Where Ray is not installed these skip, except in CI (`CI` set), where that fails.
"""

import os

import pandas as pd
import pytest

from mnist49 import cluster, record
from mnist49.config import Config

pytestmark = pytest.mark.slow

SMALL = Config(train_size=300, test_size=100, epochs=3, device="cpu")


def _ray():
    os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
    try:
        import ray
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI must install the cluster extra (uv sync --locked --extra cluster)")
        pytest.skip("Ray is not installed: uv sync --extra cluster")
    return ray


@pytest.fixture(scope="module")
def ray_cluster():
    """A head and a second node of one CPU each, small object stores, no dashboard; this
    process joins it as the driver."""
    ray = _ray()
    from ray.cluster_utils import Cluster

    store = 200 * 1024**2
    nodes = Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": 1, "include_dashboard": False, "object_store_memory": store},
    )
    nodes.add_node(num_cpus=1, object_store_memory=store)
    nodes.wait_for_nodes()
    ray.init(address=nodes.address, logging_level="warning", log_to_driver=False)
    try:
        yield nodes
    finally:
        ray.shutdown()
        nodes.shutdown()


def test_both_nodes_import_torch_and_the_project(ray_cluster):
    ray = _ray()
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    @ray.remote(num_cpus=1)
    def where():
        import torch

        import mnist49

        return ray.get_runtime_context().get_node_id(), torch.__version__, mnist49.__name__

    nodes = [n["NodeID"] for n in ray.nodes() if n["Alive"]]
    assert len(nodes) == 2
    found = ray.get(
        [
            where.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n, soft=False)).remote()
            for n in nodes
        ]
    )
    assert [f[0] for f in found] == nodes and all(f[2] == "mnist49" for f in found)


def _same_run(a, b) -> None:
    """Two runs trained alike: history (all but the seconds) to 1e-6, the same digits."""
    figures = ["epoch", "train_loss", "test_loss", "test_accuracy"]
    pd.testing.assert_frame_equal(a.history[figures], b.history[figures], rtol=0, atol=1e-6)
    pa, pb = (pd.read_csv(r.path / "predictions.csv") for r in (a, b))
    pd.testing.assert_frame_equal(pa, pb, rtol=0, atol=1e-5)
    assert a.status == b.status == "finished"


@pytest.mark.parametrize("seeds", [1, 3])
def test_a_run_on_the_cluster_equals_its_local_twin(ray_cluster, tmp_path, seeds):
    config = SMALL.replace(seeds=seeds)
    local, _ = record.train_run(config, tmp_path / "local")
    with cluster.fitting(ray_cluster.address):
        remote, _ = record.train_run(config, tmp_path / "cluster")
    _same_run(local, remote)
    assert sorted(p.name for p in remote.path.iterdir()) == sorted(p.name for p in local.path.iterdir())
    assert remote.path.parent == tmp_path / "cluster"  # written here, by the driver
