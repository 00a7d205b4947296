"""Training on a real Ray cluster of two nodes on this machine (not a mock): the cluster extra.

Where Ray is not installed these skip, except in CI (`CI` set), where that fails.
"""

import os
import subprocess
import sys
import time

import pandas as pd
import pytest

from mnist49 import cli, runs
from mnist49.config import Config
from mnist49.runs import cluster, record, sweep
from mnist49.training import events

SMALL = Config(train_size=300, test_size=100, epochs=3, device="cpu")
# A run still training when a test stops it or removes its node: 500 epochs of 300 digits can end
# in seconds on a quiet fast machine, before the stop (polled every POLL s) reaches the task
LONG = SMALL.replace(epochs=20_000)


def _ray():
    os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
    try:
        import ray
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("CI must install the cluster extra (uv sync --locked --extra cluster)")
        pytest.skip("Ray is not installed: uv sync --extra cluster")
    return ray


def test_without_ray_the_error_says_how_to_install(monkeypatch):
    monkeypatch.delenv(cluster.ENV, raising=False)
    monkeypatch.setitem(sys.modules, "ray", None)  # as if not installed: importing it fails
    with pytest.raises(cluster.ClusterError, match="uv sync --extra cluster"):
        cluster.connect("auto")
    assert cli.main(["train", "--ray", "auto", "--epochs", "1"]) == 2


def test_training_here_never_imports_ray(tmp_path):
    argv = ["train", "--epochs", "1", "--train-size", "200", "--runs-dir", str(tmp_path)]
    code = (
        f"import sys; from mnist49 import cli; assert cli.main({argv!r}) == 0; "
        "assert 'ray' not in sys.modules, 'ray was imported'"
    )
    env = {k: v for k, v in os.environ.items() if k != cluster.ENV}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


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


@pytest.mark.slow
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


@pytest.mark.slow
@pytest.mark.parametrize("seeds", [1, 3])
def test_a_run_on_the_cluster_equals_its_local_twin(ray_cluster, tmp_path, seeds):
    config = SMALL.replace(seeds=seeds)
    local, _ = record.train_run(config, tmp_path / "local")
    with cluster.fitting(ray_cluster.address) as placed:
        remote, _ = record.train_run(config, tmp_path / "cluster")
    assert len(placed) == 1 and placed[0][1] != os.getpid()  # one task, in another process
    _same_run(local, remote)
    assert sorted(p.name for p in remote.path.iterdir()) == sorted(p.name for p in local.path.iterdir())
    assert remote.path.parent == tmp_path / "cluster"  # written here, by the driver


@pytest.mark.slow
def test_a_sweeps_values_spread_over_both_nodes_and_equal_a_local_sweep(ray_cluster, tmp_path):
    planned = sweep.Sweep(SMALL.replace(seeds=2), "lr", (0.001, 0.01))
    local, _ = sweep.train_sweep(planned, tmp_path / "local")
    values, placed = [], []
    found, _ = cluster.train_sweep(
        ray_cluster.address,
        planned,
        tmp_path / "cluster",
        to=events.of(events.RunEnded, lambda e: e.value is not None and values.append(e.value)),
        placed=placed,
    )
    assert found.status == "finished" and sorted(values) == [0, 1]
    assert len({node for node, _, _ in placed}) == 2  # one value on each node, at once
    assert found.runs.keys() == local.runs.keys() == {0, 1}
    for i in local.runs:
        _same_run(local.runs[i], found.runs[i])


@pytest.mark.slow
def test_the_cli_trains_and_sweeps_on_the_cluster(ray_cluster, tmp_path, capsys):
    assert (
        cli.main(["train", "--ray", ray_cluster.address, "--epochs", "2", "--runs-dir", str(tmp_path)]) == 0
    )
    assert "finished" in capsys.readouterr().out
    (run,) = runs.list_runs(tmp_path)[0]
    assert run.status == "finished" and len(run.history) == 2
    code = cli.main(
        [
            "sweep",
            "--ray",
            ray_cluster.address,
            "--knob",
            "lr",
            "--values",
            "0.001,0.01",
            "--epochs",
            "2",
            "--runs-dir",
            str(tmp_path / "sweeps"),
        ]
    )
    assert code == 0
    (found,), _ = sweep.list_sweeps(tmp_path / "sweeps")
    assert found.status == "finished" and {i: len(r.history) for i, r in found.runs.items()} == {0: 2, 1: 2}


def _train_in_thread(fn):
    """Run `fn` in a thread; a function that waits for it and returns what it returned."""
    import threading

    out = {}

    def run():
        try:
            out["result"] = fn()
        except BaseException as e:
            out["error"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def wait(timeout):
        thread.join(timeout)
        assert not thread.is_alive(), "the training did not end"
        if "error" in out:
            raise out["error"]
        return out["result"]

    wait.alive = thread.is_alive
    return wait


@pytest.mark.slow
def test_stop_reaches_the_remote_task(ray_cluster, tmp_path):
    stop, epochs = events.Stop(), []
    wait = _train_in_thread(
        lambda: cluster.train_run(
            ray_cluster.address,
            LONG,
            tmp_path,
            events.of(events.EpochEnded, epochs.append),
            stop,
        )
    )
    deadline = time.monotonic() + 60
    while not epochs and time.monotonic() < deadline and wait.alive():
        time.sleep(0.1)
    assert epochs, "no epoch came back from the cluster"
    stop.stop("user")
    run, _ = wait(30)
    assert run.status == "stopped" and run.reason == "user"
    assert 1 <= len(run.history) < LONG.epochs
    assert (run.path / "weights.pt").is_file() and (run.path / "predictions.csv").is_file()


@pytest.mark.slow
def test_the_apps_jobs_train_and_stop_on_the_cluster(ray_cluster, tmp_path):
    from mnist49.app.background import cluster_worker

    pool = cluster_worker.pool(ray_cluster.address)
    try:
        assert pool.limit == 2  # the cluster's CPUs, one training each
        done = pool.start(SMALL, tmp_path)
        long = pool.start(LONG, tmp_path)
        done.join(120)
        state = done.snapshot()
        assert state.status == "finished" and [r.epoch for r in state.records] == [1, 2, 3]
        assert state.hardest and runs.load_run(state.run_path).status == "finished"
        assert long.wait_for(1, 60) and not long.snapshot().done
        long.touch()
        long.stop()
        long.join(30)
        stopped = long.snapshot()
        assert stopped.status == "stopped" and stopped.reason == "user"
        assert 1 <= len(runs.load_run(stopped.run_path).history) < LONG.epochs
    finally:
        pool.close(timeout=30)


@pytest.mark.slow
def test_the_train_page_trains_through_the_cluster(ray_cluster, runs_dir, monkeypatch):
    from helpers import open_app, train

    from mnist49.app import common

    monkeypatch.setenv(cluster.ENV, ray_cluster.address)
    common.pool.clear()
    try:
        at = train(open_app("train"), epochs=2, train_size=300, test_size=100)
        assert not at.exception
        assert any("Finished" in s.value and "2 of 2" in s.value for s in at.success)
        assert type(at.session_state["job"].worker).__name__ == "ClusterWorker"
        (run,), _ = runs.list_runs(runs_dir)
        assert run.status == "finished" and len(run.replicates()) == 3 and len(run.history) == 2
    finally:
        common.pool().close(timeout=10)
        common.pool.clear()


@pytest.mark.slow
def test_a_run_whose_node_is_removed_ends_interrupted_with_its_epochs(ray_cluster, tmp_path):
    """The task is made to land on a third node (the other two are held busy), which is then
    removed mid-run."""
    ray = _ray()
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    third = ray_cluster.add_node(num_cpus=1, object_store_memory=100 * 1024**2)
    ray_cluster.wait_for_nodes()

    @ray.remote(num_cpus=1)
    def hold():
        time.sleep(120)

    others = [n["NodeID"] for n in ray.nodes() if n["Alive"] and n["NodeID"] != third.node_id]
    held = [
        hold.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n, soft=False)).remote()
        for n in others
    ]
    try:
        epochs = []
        wait = _train_in_thread(
            lambda: cluster.train_run(
                ray_cluster.address,
                LONG.replace(seeds=2),
                tmp_path,
                events.of(events.EpochEnded, epochs.append),
            )
        )
        deadline = time.monotonic() + 60
        while len(epochs) < 2 and time.monotonic() < deadline and wait.alive():
            time.sleep(0.1)
        assert len(epochs) >= 2, "no epochs came back from the cluster"
        ray_cluster.remove_node(third, allow_graceful=False)
        run, _ = wait(90)
    finally:
        for ref in held:
            ray.cancel(ref, force=True)
    assert run.status == "interrupted" and run.reason == "lost", run.message
    assert len(run.history) >= 2  # the epochs that came back before the node went
    for replicate in (run.path / "replicates").iterdir():
        assert runs.load_run(replicate).status == "interrupted"
