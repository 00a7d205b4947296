"""Where this tab's run or sweep is, in words: the sidebar's badge on every page, and the Sweep
page's progress bar."""

from mnist49.app import common
from mnist49.app.background.jobs import Job, JobState
from mnist49.app.text import t


def sweep_place(job: Job, state: JobState, key_prefix: str) -> str:
    """Where a sweep is, in the text `key_prefix`_together (values that train at once: their
    epoch) or `key_prefix`_in_turn (the value in training, of how many, and its epoch): never the
    epochs of all values summed, as "6 of 6 epochs" for two values of 3 reads as runs of 6 epochs."""
    value, epoch, epochs = job.sweep.progress(i for i, _ in state.curves)
    how = "together" if job.sweep.together else "in_turn"
    return t(f"{key_prefix}_{how}", value=value, values=len(job.sweep.values), epoch=epoch, epochs=epochs)


def badge_text(job: Job, state: JobState) -> str:
    """The sidebar's line for this tab's run or sweep: where it is, its place in line, or how it
    ended."""
    n, total = len(state.records), job.epochs
    kind = "badge.sweep_" if job.sweep else "badge."
    where = sweep_place(job, state, "badge.sweep") if job.sweep else ""
    if state.done:
        return t(kind + "last", status=t(f"status.{state.status}"), n=n, total=total, where=where)
    if state.status == "queued":
        return t(kind + "queued", place=common.pool().place(job))
    return t(kind + "training", n=n, total=total, where=where)
