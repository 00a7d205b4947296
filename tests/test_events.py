"""The events that cross the worker's pipe come back as they were sent."""

import pytest

from mnist49.training import events
from mnist49.training.history import EpochRecord

RECORD = EpochRecord(3, 0.25, 0.5, 0.875, 0.1)


@pytest.mark.parametrize(
    "event",
    [
        events.RunStarted("runs/20261205-120000-cnn-abcdef"),
        events.BatchDone(2, 7, 20),
        events.EpochEnded(3, {0: RECORD, 2: RECORD}),
        events.EpochEnded(3, {1: RECORD}, value=4),  # a sweep's value
        events.Hardest(((12, 9, 0.51), (40, 4, 0.55))),
        events.RunEnded("stopped", "Stopped after 3 epochs", "user", {"epochs": 3}, "runs/x"),
        events.RunEnded("finished", value=1),
    ],
)
def test_an_event_round_trips_through_a_json_line(event):
    line = events.to_json(event)
    assert "\n" not in line  # one line on the pipe
    back = events.from_json(line)
    assert back == event and type(back) is type(event)
    if isinstance(event, events.EpochEnded):  # compared by epoch and value alone: the records too
        assert back.records == event.records and all(isinstance(r, int) for r in back.records)
