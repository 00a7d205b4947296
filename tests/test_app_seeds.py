"""The pages with runs of several seeds: pickers, verdicts, and the remedy set against its run."""

from helpers import open_app, train

from mnist49 import runs
from mnist49.runs import seeds


def test_compare_says_for_each_pair_whether_the_difference_is_real():
    at = train(open_app("train"), epochs=2, train_size=500, test_size=200, seeds=2)
    at = train(at, epochs=2, train_size=500, test_size=200, seeds=2, dropout=0.2)
    at.switch_page("mnist49/app/pages/compare.py").run()
    assert not at.exception
    assert "Is the difference real?" in [s.value for s in at.subheader]
    assert any("**B** against **A**" in m.value for m in at.markdown)
    said = [e.value for e in [*at.success, *at.info, *at.warning]]
    # accuracy and loss against seed noise, and the digits the runs split on (same test digits)
    assert sum(s.startswith(("B ", "The lowest test loss of B ")) for s in said) == 3
    # the same two seeds on the same digits: accuracy and loss compared seed k with seed k
    assert sum("paired by seed" in s for s in said) == 2
    # the section below counts one seed per run, and says so (the verdict counts every seed's)
    assert any(c.value.startswith("Counted on each run's median seed") for c in at.caption)
    chart = at.get("vega_lite_chart")[0].proto
    assert '"area"' in chart.spec  # the seeds' bands


def test_pages_offer_each_seed_the_median_first(runs_dir):
    at = train(open_app("train"), epochs=2, train_size=500, test_size=200, seeds=3)
    (run,), _ = runs.list_runs(runs_dir)
    reps = run.replicates()
    median = seeds.median_replicate(reps)
    for page in ("inside", "your_digit"):
        at.switch_page(f"mnist49/app/pages/{page}.py").run()
        assert not at.exception, page
        picker = at.selectbox(key=f"replicate_{run.name}")
        assert len(picker.options) == 3 and picker.index == median
        assert "(the median)" in picker.options[median]
    # Errors pools the seeds first, then offers each seed
    at.switch_page("mnist49/app/pages/errors.py").run()
    picker = at.selectbox(key=f"view_{run.name}")
    assert len(picker.options) == 4 and picker.index == 0 and not at.exception
    assert picker.options[0] == "Pooled (all 3 seeds)" and "(the median)" in picker.options[median + 1]
    # picking another seed shows that seed's own model and predictions
    at.switch_page("mnist49/app/pages/inside.py").run()
    other = (median + 1) % 3
    at.selectbox(key=f"replicate_{run.name}").set_value(other).run()
    assert not at.exception
    # Inside lists the picked seed's most confidently wrong digit (or most doubtful right one) first
    from mnist49.training import evaluate

    ordered = evaluate.classify(reps[other].predictions()).sort_values(
        ["correct", "confidence"], ascending=[True, False]
    )
    first = ordered.iloc[0]
    assert at.selectbox(key="inside_digit").value == int(first["index"])


def test_a_remedys_run_ends_with_a_verdict_against_the_run_it_came_from(runs_dir):
    at = train(open_app("train"), epochs=2, train_size=500, test_size=200, seeds=2)
    at.button(key="try_0").click().run()
    assert any("Press Train to run the experiment" in s.value for s in at.success)
    for key, value in {"epochs": 2, "train_size": 500, "test_size": 200, "seeds": 2}.items():
        at.session_state[f"k_{key}"] = value  # short, whichever remedy it was
    at.run()
    at.button(key="train").click().run()
    job = at.session_state["job"]
    import time

    deadline = time.monotonic() + 180
    while not job.snapshot().done and time.monotonic() < deadline:
        job.touch()
        job.join(1)
    at.run()
    assert not at.exception
    assert any(m.value.startswith("**Did the change help?**") for m in at.markdown)
    said = [e.value for e in [*at.success, *at.info, *at.warning]]
    assert any(s.startswith("The experiment") for s in said)  # a sentence starts with a capital
    assert not [s for s in [*said, *(m.value for m in at.markdown)] if "remedy" in s.lower()]
