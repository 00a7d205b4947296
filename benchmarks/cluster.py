"""A class's worth of Train clicks through the app's job API: the local pool against a Ray cluster.

    uv sync --extra cluster
    uv run python benchmarks/cluster.py [--jobs 20] [--epochs 40] [--seeds 3] [--repeats 1]

Submits `--jobs` runs of the recipe (the Train page's defaults: 3 seeds, 40 epochs) at once,
first to the app's own pool (pool.JobPool: 3 at a time, the rest queued), then to a Ray cluster
of 2 nodes of 1 CPU each started on this machine (ray.cluster_utils.Cluster), through
cluster_worker.pool: the same JobPool, its limit the cluster's CPUs. Both are touched as open
tabs touch them. Prints, for each: the time from the clicks to the last result, the longest and
median wait (click to training begun) and the median time a run trained (begun to ended), and the load average
as each began. With `--repeats`, the two alternate, the cluster kept up between them (the machine
is shared: side by side is the only fair comparison). On one machine the cluster cannot have
more cores; the point is what it costs per job.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from mnist49.app.background.pool import JobPool
from mnist49.config import Config


def drive(pool: JobPool, config: Config, n: int, runs_dir: Path) -> dict:
    """Start `n` jobs at once and touch them until all end; times in seconds."""
    clicked = time.monotonic()
    jobs = [pool.start(config.replace(seed=i), runs_dir) for i in range(n)]
    began: dict[int, float] = {}
    ended: dict[int, float] = {}
    while len(ended) < n:
        for i, job in enumerate(jobs):
            job.touch()
            state = job.snapshot()
            if i not in began and state.run_path is not None:
                began[i] = time.monotonic()
            if i not in ended and state.done:
                ended[i] = time.monotonic()
                began.setdefault(i, ended[i])
        time.sleep(0.1)
    states = [j.snapshot() for j in jobs]
    assert all(s.status == "finished" for s in states), [s.error for s in states if s.status != "finished"]
    waits = [began[i] - clicked for i in range(n)]
    trains = [ended[i] - began[i] for i in range(n)]
    return {
        "last result": max(ended.values()) - clicked,
        "longest wait": max(waits),
        "median wait": statistics.median(waits),
        "median run": statistics.median(trains),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    config = Config(device="cpu", epochs=args.epochs, seeds=args.seeds)
    os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")  # see cluster._ray
    try:
        import ray
        from ray.cluster_utils import Cluster
    except ImportError:
        sys.exit("needs Ray: uv sync --extra cluster")
    from mnist49.app.background import cluster_worker

    results: list[tuple[str, dict]] = []
    local_name, cluster_name = "local pool (3 at once, 2 cores)", "Ray, 2 nodes x 1 CPU"
    start = time.monotonic()
    store = 200 * 1024**2
    nodes = Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": 1, "include_dashboard": False, "object_store_memory": store},
    )
    nodes.add_node(num_cpus=1, object_store_memory=store)
    nodes.wait_for_nodes()
    print(f"2-node cluster up in {time.monotonic() - start:.1f} s", flush=True)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for repeat in range(args.repeats):
                pool = JobPool(3, cap=args.jobs)
                time.sleep(8)  # its spare worker warm, as in a server that has been up a while
                load = os.getloadavg()[0]
                figures = drive(pool, config, args.jobs, Path(tmp) / f"local{repeat}")
                results.append((local_name, figures | {"load": load}))
                pool.close()
                pool = cluster_worker.pool(nodes.address, cap=args.jobs)
                load = os.getloadavg()[0]
                figures = drive(pool, config, args.jobs, Path(tmp) / f"cluster{repeat}")
                results.append((cluster_name, figures | {"load": load}))
                pool.close()
                print(f"repeat {repeat + 1} done", flush=True)
    finally:
        ray.shutdown()
        nodes.shutdown()

    print(f"\n{args.jobs} jobs of {args.seeds} seeds x {args.epochs} epochs, clicked at once (seconds)")
    keys = list(results[0][1])
    print(f"{'':34}" + "".join(f"{k:>14}" for k in keys))
    for name, figures in results:
        print(f"{name:34}" + "".join(f"{figures[k]:14.1f}" for k in keys))
    for i in range(0, len(results), 2):
        (_, local), (_, remote) = results[i : i + 2]
        ratio = remote["last result"] / local["last result"]
        print(f"repeat {i // 2 + 1}: cluster / local, time to the last result: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
