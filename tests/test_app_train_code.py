from helpers import open_app

from mnist49.analysis import export
from mnist49.config import Config
from mnist49.runs.record import train_run
from mnist49.training import events


def test_a_finished_run_shows_its_training_script_and_an_unfinished_one_says_why(runs_dir):
    config = Config(epochs=2, train_size=200, test_size=50, device="cpu")
    run, _ = train_run(config, runs_dir)
    at = open_app("train")
    (code,) = [c for c in at.code if c.language == "python"]  # (the Share popover's are links)
    script = export.script(run.config, run.name, f"train_{run.name.replace('-', '_')}.py")
    assert code.value == script.rstrip("\n")  # st.code drops the last newline
    assert code.language == "python"
    assert "Code: this run as a training script" in [e.label for e in at.expander]
    assert any(b.label == "Download the script (.py)" for b in at.get("download_button"))

    stop = events.Stop()
    stop.set()
    stopped, _ = train_run(config.replace(seed=1), runs_dir, stop=stop)
    at.run()
    # (two runs made within one second sort by their random suffix: pick the stopped one by name)
    (picker,) = [s for s in at.selectbox if s.label == "Download the files of"]
    picker.set_value(stopped.name).run()
    assert not at.exception and not [c for c in at.code if c.language == "python"]
    # a stopped run never finishes: it is not told to wait for that
    assert not any("once the run has finished" in c.value for c in at.caption)
    assert any("ended before its last epoch, so no training script" in c.value for c in at.caption)


def test_a_run_of_several_seeds_offers_each_seeds_script(runs_dir):
    config = Config(epochs=2, train_size=200, test_size=50, device="cpu", seeds=3)
    run, _ = train_run(config, runs_dir)
    at = open_app("train")
    (picker,) = [s for s in at.selectbox if s.label == "Seed of this run"]
    median = run.median().config.replicate
    assert picker.value == median  # the median seed first (options: seeds 0, 1, 2)
    for k in [median, *(k for k in range(3) if k != median)]:
        picker = next(s for s in at.selectbox if s.label == "Seed of this run")
        at = picker.set_value(k).run()
        assert not at.exception
        (code,) = [c for c in at.code if c.language == "python"]
        file = f"train_{run.name.replace('-', '_')}_seed{k}.py"
        assert code.value == export.script(run.replicates()[k].config, run.name, file).rstrip("\n")
        assert code.value.startswith(f'"""Train seed {k} of the mnist49 run {run.name}: ')
        assert f"SEED = {k}  #" in code.value  # seed 0 + k: that seed's weights and batches
        # the caption says what the script reproduces, and does not promise the run's figures
        caption = next(c.value for c in at.caption if "trains the seed picked above alone" in c.value)
        assert f"exactly the figures of seed {k} trained alone" in caption
        assert "trained its 3 seeds together" in caption and "may drift within seed noise" in caption
        assert any(b.label == "Download the script (.py)" for b in at.get("download_button"))
