"""status.py: each status and stop reason written and read back alike, for a run and a sweep."""

import json
import os
import string

import pytest

from mnist49.runs import status as st

FACTS = {"seconds": 31.0, "signal": "SIGINT", "epoch": 3, "code": -9, "pid": 123, "host": "elsewhere"}


def _folder(tmp_path, sweep: bool):
    folder = tmp_path / ("sweep" if sweep else "run")
    folder.mkdir()
    if sweep:
        (folder / st.SWEEP_FILE).write_text("{}")  # made a sweep's folder before its first status
    return folder


@pytest.mark.parametrize("sweep", [False, True])
@pytest.mark.parametrize("reason", ["", *st.REASONS])
def test_each_reason_round_trips_in_its_own_words(tmp_path, sweep, reason):
    folder = _folder(tmp_path, sweep)
    path = st.file_of(folder)
    assert path.name == (st.SWEEP_FILE if sweep else st.RUN_FILE) and st.is_sweep(folder) == sweep
    fields = {f for _, f, _, _ in string.Formatter().parse(st.REASONS.get(reason, "")) if f}
    facts = {k: v for k, v in FACTS.items() if k in fields}
    ended = "stopped" if reason else "failed"
    st.write_status(
        path, ended, reason, facts, "out of memory", started="2026-01-01T00:00:00", extra={"knob": "lr"}
    )
    raw = json.loads(path.read_text())
    assert st.status_problem(raw) == "" and raw["knob"] == "lr" and raw["pid"] == os.getpid()
    assert st.truth(folder, raw) == raw  # not running: as written
    said = st.said(raw)
    assert said == (
        (reason, facts, st.REASONS[reason].format(**facts)) if reason else ("", {}, "out of memory")
    )
    assert raw["message"] == said[2]


@pytest.mark.parametrize("state", st.STATUSES)
def test_every_status_is_read_back(tmp_path, state):
    path = tmp_path / st.RUN_FILE
    st.write_status(path, state, started="2026-01-01T00:00:00")
    raw = json.loads(path.read_text())
    assert st.status_problem(raw) == "" and raw["status"] == state
    assert st.truth(tmp_path, raw)["status"] == state  # running: its owner (this process) is alive


@pytest.mark.parametrize(
    "raw, problem",
    [
        ("finished", "holds str"),
        ({"status": "done"}, "unknown status 'done'"),
        ({"status": "finished", "seconds": "many"}, "seconds of 'many'"),
        ({"status": "finished", "seconds": True}, "seconds of True"),
        ({"status": "finished", "started": 5}, "start time of 5"),
    ],
)
def test_a_damaged_status_is_said(raw, problem):
    assert problem in st.status_problem(raw)


def test_a_reason_this_version_lacks_keeps_the_message_as_written():
    assert st.said({"reason": "meteor", "facts": {}, "message": "hit"}) == ("", {}, "hit")
    assert st.said({"reason": "died", "facts": {}, "message": "exit"}) == ("", {}, "exit")  # facts missing


@pytest.mark.parametrize("sweep", [False, True])
def test_a_dead_worker_marks_what_was_running_and_keeps_what_ended(tmp_path, sweep):
    folder = _folder(tmp_path, sweep)
    st.write_status(st.file_of(folder), "running", started="2026-01-01T00:00:00")
    inner = [folder / "0" / st.RUN_FILE, folder / "1" / st.RUN_FILE]
    for path, state in zip(inner, ["running", "finished"], strict=True):
        path.parent.mkdir()
        st.write_status(path, state, started="2026-01-01T00:00:00")
    assert st.status_files(folder) == [st.file_of(folder), *inner]
    st.mark_died(folder, -9)
    read = [json.loads(p.read_text()) for p in (st.file_of(folder), *inner)]
    assert [r["status"] for r in read] == ["interrupted", "interrupted", "finished"]
    assert read[0]["reason"] == "died" and st.said(read[0])[2] == st.REASONS["died"].format(code=-9)
    assert read[0]["started"] == "2026-01-01T00:00:00"  # kept


def test_a_running_status_whose_owner_is_gone_is_rewritten_lost(tmp_path):
    import subprocess
    import sys

    gone = int(
        subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True).stdout
    )
    path = tmp_path / st.RUN_FILE
    st.write_status(path, "running", started="2026-01-01T00:00:00")
    raw = json.loads(path.read_text()) | {"pid": gone}
    path.write_text(json.dumps(raw))
    seen = st.truth(tmp_path, raw)
    assert seen["status"] == "interrupted" and seen["reason"] == "lost" and seen["facts"]["pid"] == gone
    assert json.loads(path.read_text())["status"] == "interrupted"  # on disk too
