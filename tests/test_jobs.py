import json
import os
import signal
import subprocess
import sys
import time

import pytest

from mnist49 import runs
from mnist49.app.background.pool import JobPool, PoolFull
from mnist49.config import Config
from mnist49.training import events

SMALL = Config(train_size=300, test_size=100, epochs=3, device="cpu")
# A run that is still training whenever a test looks, stops or kills it: 500 epochs of 300 digits
# can end in seconds on a quiet fast machine (before a second job has started beside it)
LONG = SMALL.replace(epochs=20_000)


@pytest.fixture
def pools():
    """Makes JobPools and closes them all at the end, so that no worker outlives the test."""
    made = []

    def make(**kwargs) -> JobPool:
        made.append(JobPool(**kwargs))
        return made[-1]

    yield make
    for pool in made:
        pool.close()
        assert pool.running == 0


@pytest.mark.slow
def test_a_job_trains_in_the_background_and_reports_each_epoch(tmp_path, pools):
    job = pools().start(SMALL, tmp_path)
    job.join(120)
    state = job.snapshot()
    assert state.done and state.status == "finished"
    assert [r.epoch for r in state.records] == [1, 2, 3]
    assert state.run_path is not None and state.run_path.parent == tmp_path


@pytest.mark.slow
def test_stop_ends_a_job_and_frees_its_place_in_the_pool(tmp_path, pools):
    pool = pools(limit=1)
    job = pool.start(LONG, tmp_path)
    assert job.wait_for(1, 60)
    job.stop()
    job.join(120)
    assert job.snapshot().status == "stopped" and pool.running == 0
    assert runs.load_run(job.snapshot().run_path).reason == "user"  # said in status.json too
    pool.start(SMALL.replace(epochs=1), tmp_path).join(120)


@pytest.mark.slow
def test_wait_for_returns_at_an_epoch_or_at_the_end(tmp_path, pools):
    job = pools().start(LONG, tmp_path)
    assert job.wait_for(2, 60)
    state = job.snapshot()
    assert len(state.records) >= 2 and not state.done
    assert not job.wait_for(10_000, 0.05)  # not that many yet: False after the timeout
    job.stop()
    assert job.wait_for(10_000, 30)  # the run has ended: no epoch will come, so True at once
    assert job.snapshot().status == "stopped"
    failed = pools().start(SMALL.replace(data=str(tmp_path / "nowhere")), tmp_path / "runs")
    assert failed.wait_for(1, 60) and failed.snapshot().status == "failed"


@pytest.mark.slow
def test_an_abandoned_job_stops_itself(tmp_path, pools):
    job = pools().start(LONG, tmp_path, abandon_after=0.5)
    job.join(120)
    state = job.snapshot()
    assert state.status == "stopped" and "nobody watched it" in state.error
    assert state.reason == "abandoned" and state.facts["seconds"] == 0.5  # for the app's words
    assert len(state.records) < LONG.epochs
    assert runs.load_run(state.run_path).reason == "abandoned"  # not "stopped by the user"


@pytest.mark.slow
def test_bad_data_fails_the_job_with_a_message(tmp_path, pools):
    job = pools().start(SMALL.replace(data=str(tmp_path / "nowhere")), tmp_path / "runs")
    job.join(120)
    state = job.snapshot()
    assert state.status == "failed" and "MNIST files missing" in state.error


@pytest.mark.slow
def test_a_job_reports_the_hardest_digits_of_the_last_epoch(tmp_path, pools):
    job = pools().start(SMALL, tmp_path)
    job.join(120)
    state = job.snapshot()
    assert len(state.hardest) == 10
    confidence = [c for _, _, c in state.hardest]
    assert confidence == sorted(confidence) and all(0.5 <= c <= 1 for c in confidence)
    from mnist49.training import evaluate

    final = evaluate.classify(runs.load_run(state.run_path).predictions()).set_index("index")
    for index, predicted, c in state.hardest:
        # the same digits and values as the saved run
        assert final.loc[index, "predicted"] == predicted
        assert abs(final.loc[index, "confidence"] - c) < 1e-6


@pytest.mark.slow
def test_the_pool_shares_the_cores_between_runs(tmp_path, pools):
    pool = pools(cores=4)
    first = pool.start(LONG, tmp_path)
    assert first.threads == 4  # alone: every core
    second = pool.start(LONG, tmp_path)
    assert first.threads == second.threads == 2  # two runs: half each, not 4 + 4 threads
    second.stop()
    second.join(120)
    assert first.threads == 4  # the other run gets them back
    first.stop()
    first.join(120)
    assert first.snapshot().status == "stopped"


@pytest.mark.slow
def test_runs_past_the_limit_wait_in_line_and_can_be_cancelled(tmp_path, pools):
    pool = pools(limit=1, cap=3)
    first = pool.start(LONG, tmp_path)
    # nobody touches them here: they must not leave the line for that
    second, third, fourth = (
        pool.start(SMALL.replace(epochs=1), tmp_path, abandon_after=600) for _ in range(3)
    )
    assert [j.snapshot().status for j in (second, third, fourth)] == ["queued"] * 3
    assert [pool.place(j) for j in (first, second, third, fourth)] == [0, 1, 2, 3]
    with pytest.raises(PoolFull, match="busy"):
        pool.start(SMALL, tmp_path)  # past the cap
    assert pool.wait_estimate(second) is None  # nothing timed yet
    assert first.wait_for(2, 60)
    assert 0 < pool.wait_estimate(second) < pool.wait_estimate(third)

    third.stop()  # cancelled while waiting
    state = third.snapshot()
    assert state.status == "stopped" and state.reason == "cancelled" and state.run_path is None
    assert pool.place(fourth) == 2 and pool.queued == 2

    first.stop()
    second.join(120)  # starts by itself when the first ends
    fourth.join(120)
    assert second.snapshot().status == fourth.snapshot().status == "finished"
    assert third.snapshot().status == "stopped" and not third.snapshot().records  # never ran
    assert len(runs.list_runs(tmp_path)[0]) == 3


@pytest.mark.slow
def test_a_queued_job_whose_tab_has_gone_leaves_the_queue(tmp_path, pools):
    pool = pools(limit=1)
    first = pool.start(LONG, tmp_path)
    waiting = pool.start(SMALL, tmp_path, abandon_after=0.2)
    time.sleep(0.3)  # nobody touches it
    assert pool.place(waiting) == 0 and waiting.snapshot().reason == "abandoned"
    first.stop()


@pytest.mark.slow
@pytest.mark.parametrize("seeds", [1, 3])
def test_a_killed_worker_interrupts_the_job_its_run_folder_and_its_replicates(tmp_path, pools, seeds):
    job = pools().start(LONG.replace(seeds=seeds), tmp_path)
    assert job.wait_for(2, 60)
    os.kill(job.worker.pid, signal.SIGKILL)
    job.join(120)
    state = job.snapshot()
    assert state.status == "interrupted" and state.reason == "died" and state.facts == {"code": -9}
    (run,), _ = runs.list_runs(tmp_path)
    assert run.status == "interrupted" and run.reason == "died" and "exit code -9" in run.message
    assert len(run.replicates()) == seeds
    assert all(r.status == "interrupted" and r.reason == "died" for r in run.replicates())  # as on disk
    # killed mid-way, a run of several seeds keeps a model: its median seed's last finished epoch
    assert run.weights_path() == run.median().path / "weights.pt" if seeds > 1 else run.weights_path()
    assert len(run.history) >= 2
    assert run.load_model() is not None  # the weights of its last finished epoch survive


def worker_at_its_second_epoch(tmp_path):
    """A worker process trained from here as the server would, once its second epoch is done."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "mnist49.app.background.worker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    request = {"config": LONG.to_dict(), "runs_dir": str(tmp_path), "abandon_after": 60, "threads": 1}
    worker.stdin.write(json.dumps(request) + "\n")
    worker.stdin.flush()
    for line in worker.stdout:
        event = events.from_json(line)
        if isinstance(event, events.EpochEnded) and event.epoch == 2:
            return worker
    raise AssertionError(worker.stderr.read())


@pytest.mark.slow
def test_a_worker_whose_server_goes_exits_quietly(tmp_path):
    worker = worker_at_its_second_epoch(tmp_path)
    worker.stdin.close()  # the server is killed: both pipes close
    worker.stdout.close()
    assert worker.wait(60) == 0
    assert worker.stderr.read() == ""  # no BrokenPipeError traceback
    (run,), _ = runs.list_runs(tmp_path)
    assert run.status == "stopped" and run.reason == "gone" and run.has_predictions


@pytest.mark.slow
def test_sigterm_stops_a_worker_as_interrupted(tmp_path):
    worker = worker_at_its_second_epoch(tmp_path)
    worker.send_signal(signal.SIGINT)  # the server's Ctrl-C reaches it too: the server decides
    worker.send_signal(signal.SIGTERM)
    end = [events.from_json(line) for line in worker.stdout][-1]
    assert worker.wait(60) == 0 and worker.stderr.read() == ""
    assert end.status == "stopped" and end.reason == "interrupted"
    assert end.facts == {"signal": "SIGTERM"}
    worker.stdin.close()


def test_a_worker_takes_its_share_between_batches():
    import threading

    import torch

    from mnist49.app.background.worker import listen
    from mnist49.training import train

    before = torch.get_num_threads()
    share = 2 if before == 1 else 1  # a change, whatever this machine has
    ended = threading.Event()

    def lines():
        yield f"threads {share}\n"
        ended.wait(10)  # stdin stays open until the test has looked

    stop = events.Stop()
    listen(stop, lines(), abandon_after=30)
    try:
        deadline = time.monotonic() + 10
        while stop.threads != share and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not train.stopped(stop)  # what fit calls between batches
        assert torch.get_num_threads() == share
    finally:
        ended.set()
        torch.set_num_threads(before)


def test_a_long_epoch_sends_its_batches_and_a_short_one_does_not(monkeypatch):
    from mnist49.app.background import worker

    now, sent = [0.0], []
    monkeypatch.setattr(worker.time, "monotonic", lambda: now[0])
    progress = worker.Progress(sent.append)
    for done in range(1, 21):  # epoch 1: 20 batches in 1 s
        now[0] += 0.05
        progress(events.BatchDone(1, done, 20))
    assert sent == []
    for done in range(1, 21):  # epoch 2: 20 batches in 10 s: counted from 2 s on, once a second
        now[0] += 0.5
        progress(events.BatchDone(2, done, 20))
    # from batch 6 (2.5 s into the epoch) on, then whenever more than a second has passed
    assert sent == [events.BatchDone(2, done, 20) for done in (6, 9, 12, 15, 18)]
