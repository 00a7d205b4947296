import time

import pytest

from mnist49.config import Config
from mnist49.jobs import JobPool, PoolFull

SMALL = Config(train_size=300, test_size=100, epochs=3, device="cpu")


def test_a_job_trains_in_the_background_and_reports_each_epoch(tmp_path):
    job = JobPool().start(SMALL, tmp_path)
    job.join(60)
    state = job.snapshot()
    assert state.done and state.status == "finished"
    assert [r.epoch for r in state.records] == [1, 2, 3]
    assert state.run_path is not None and state.run_path.parent == tmp_path


def test_stop_ends_a_job_and_frees_its_place_in_the_pool(tmp_path):
    pool = JobPool(limit=1)
    job = pool.start(SMALL.replace(epochs=500), tmp_path)
    with pytest.raises(PoolFull, match="limit is 1"):
        pool.start(SMALL, tmp_path)
    while not job.snapshot().records:
        time.sleep(0.02)
    job.stop()
    job.join(30)
    assert job.snapshot().status == "stopped" and pool.running == 0
    pool.start(SMALL.replace(epochs=1), tmp_path).join(30)


def test_wait_for_returns_at_an_epoch_or_at_the_end(tmp_path):
    job = JobPool().start(SMALL.replace(epochs=500), tmp_path)
    assert job.wait_for(2, 60)
    state = job.snapshot()
    assert len(state.records) >= 2 and not state.done
    assert not job.wait_for(10_000, 0.05)  # not that many yet: False after the timeout
    job.stop()
    assert job.wait_for(10_000, 30)  # the run has ended: no epoch will come, so True at once
    assert job.snapshot().status == "stopped"
    failed = JobPool().start(SMALL.replace(data=str(tmp_path / "nowhere")), tmp_path / "runs")
    assert failed.wait_for(1, 60) and failed.snapshot().status == "failed"


def test_an_abandoned_job_stops_itself(tmp_path):
    job = JobPool().start(SMALL.replace(epochs=500), tmp_path, abandon_after=0.5)
    job.join(30)
    state = job.snapshot()
    assert state.status == "stopped" and "nobody watched it" in state.error
    assert state.reason == "abandoned" and state.facts["seconds"] == 0.5  # for the app's words
    assert len(state.records) < 500


def test_bad_data_fails_the_job_with_a_message(tmp_path):
    job = JobPool().start(SMALL.replace(data=str(tmp_path / "nowhere")), tmp_path / "runs")
    job.join(60)
    state = job.snapshot()
    assert state.status == "failed" and "MNIST files missing" in state.error


def test_a_job_reports_the_hardest_digits_of_the_last_epoch(tmp_path):
    job = JobPool().start(SMALL, tmp_path)
    job.join(60)
    state = job.snapshot()
    assert len(state.hardest) == 10
    confidence = [c for _, _, c in state.hardest]
    assert confidence == sorted(confidence) and all(0.5 <= c <= 1 for c in confidence)
    from mnist49 import evaluate, runs

    final = evaluate.classify(runs.load_run(state.run_path).predictions()).set_index("index")
    for index, predicted, c in state.hardest:
        # the same digits and values as the saved run
        assert final.loc[index, "predicted"] == predicted
        assert abs(final.loc[index, "confidence"] - c) < 1e-6


def test_the_pool_shares_the_cores_between_runs(tmp_path):
    pool = JobPool(cores=4)
    first = pool.start(SMALL.replace(epochs=500), tmp_path)
    assert first.threads == 4  # alone: every core
    second = pool.start(SMALL.replace(epochs=500), tmp_path)
    assert first.threads == second.threads == 2  # two runs: half each, not 4 + 4 threads
    second.stop()
    second.join(30)
    assert first.threads == 4  # the other run gets them back
    first.stop()
    first.join(30)
    assert first.snapshot().status == "stopped"


def test_a_worker_takes_its_share_between_batches():
    import threading

    import torch

    from mnist49.worker import Signals

    before = torch.get_num_threads()
    share = 2 if before == 1 else 1  # a change, whatever this machine has
    ended = threading.Event()

    def lines():
        yield f"threads {share}\n"
        ended.wait(10)  # stdin stays open until the test has looked

    signals = Signals(abandon_after=30, lines=lines())
    try:
        while signals.threads != share:
            time.sleep(0.01)
        assert not signals.is_set()  # what fit calls between batches
        assert torch.get_num_threads() == share
    finally:
        ended.set()
        torch.set_num_threads(before)
