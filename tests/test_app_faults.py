"""A damaged or odd run never raises on a page: it is said with st.error, in both languages."""

import shutil

import pytest
import torch
from helpers import open_app
from test_app_your_digit import photo_of_test_digit

from mnist49 import runs
from mnist49.app import text
from mnist49.config import Config
from mnist49.runs import record

SMALL = Config(train_size=300, test_size=100, epochs=2, device="cpu")


def scaled(path, factor):
    torch.save({k: v * factor for k, v in torch.load(path).items()}, path)


# what was done to the newest run, and the words each page must then show
DAMAGES = {
    "NaN weights": (lambda p: scaled(p / "weights.pt", float("nan")), "weights.pt holds NaN"),
    "garbage weights": (
        lambda p: (p / "weights.pt").write_bytes(b"\x00garbage"),
        "weights.pt cannot be read",
    ),
    "weights of another model": (
        lambda p: torch.save({"w": torch.zeros(2)}, p / "weights.pt"),
        "weights.pt does not fit",
    ),
    "huge weights": (lambda p: scaled(p / "weights.pt", 1e30), None),  # finite, but NaN outputs
}


def runs_with(runs_dir, damage) -> None:
    """A good run, and a newer one damaged as `damage` does."""
    record.train_run(SMALL, runs_dir)
    bad, _ = record.train_run(SMALL.replace(seed=1), runs_dir)
    newest = runs_dir / ("99999999-" + bad.name)  # sorted first: the pages preselect it
    shutil.move(bad.path, newest)
    damage(newest)


def said(at, words: str | None, language: str) -> None:
    """The page ended in words, not a traceback: an st.error with `words` (or, for NaN outputs,
    the not-a-number text) in the chosen language."""
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    key = "common.run_error" if words else "common.not_finite"
    start = text.TABLES[language][key].split("{")[0][:10]
    assert any(e.startswith(start) and (words or "") in e for e in errors), errors


@pytest.mark.parametrize("damage", list(DAMAGES))
@pytest.mark.parametrize("language", ["en", "ja"])
def test_inside_and_your_digit_say_what_is_wrong_with_the_weights(runs_dir, damage, language):
    change, words = DAMAGES[damage]
    runs_with(runs_dir, change)
    at = open_app()
    at.session_state["k_lang"] = language
    at.switch_page("mnist49/app/pages/inside.py").run()
    said(at, words, language)
    at.switch_page("mnist49/app/pages/your_digit.py").run()
    at.file_uploader(key="own_upload").set_value(("four.png", photo_of_test_digit(0), "image/png")).run()
    said(at, words, language)
    at.switch_page("mnist49/app/pages/errors.py").run()
    at.toggle(key="k_errors_saliency").set_value(True).run()
    said(at, words, language)
    assert at.markdown[0].value  # the rest of the page is still there: the count of errors


@pytest.mark.parametrize(
    "file, content, words",
    [
        ("predictions.csv", "index,label,loss,p9\n1,4,0.1,0.2\n", "predictions.csv has the columns"),
        ("predictions.csv", b"\x00\xff\xfe", "predictions.csv"),
        ("replay.npy", b"garbage", "replay.npy cannot be read"),
    ],
)
def test_errors_compare_and_inside_say_what_is_wrong_with_the_predictions(runs_dir, file, content, words):
    def damage(path):
        (path / file).write_bytes(content.encode() if isinstance(content, str) else content)

    runs_with(runs_dir, damage)
    for page in ("errors", "compare", "inside"):
        at = open_app(page)
        if file == "replay.npy" and page != "errors":
            assert not at.exception and not at.error  # only Errors replays
            continue
        said(at, words, "en")


def test_a_diverged_run_keeps_finite_weights_and_every_page_shows_it(runs_dir, monkeypatch):
    from mnist49.training import train

    measure, calls = train.measure, []

    def blows_up_in_epoch_3(model, x, y):
        calls.append(1)
        loss, accuracy, logits = measure(model, x, y)
        return (float("inf") if len(calls) == 3 else loss), accuracy, logits

    record.train_run(SMALL, runs_dir)
    monkeypatch.setattr(train, "measure", blows_up_in_epoch_3)
    run, _ = record.train_run(SMALL.replace(epochs=5), runs_dir)
    assert run.status == "diverged" and len(run.history) == 2
    for page in ("train", "errors", "compare", "inside", "your_digit"):
        at = open_app(page)
        assert not at.exception and not at.error, (page, at.exception)
    at.file_uploader(key="own_upload").set_value(("four.png", photo_of_test_digit(0), "image/png")).run()
    assert not at.exception and not at.error and at.metric[0].value in ("4", "9")


def test_every_stop_reason_has_words_in_both_languages():
    import string

    from mnist49.runs.status import REASONS, STATUSES

    for reason, template in REASONS.items():
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
        for table in text.TABLES.values():
            assert {f for _, f, _, _ in string.Formatter().parse(table[f"train.why.{reason}"]) if f} == fields
    for status in STATUSES + ("queued", "starting"):
        assert all(f"status.{status}" in table for table in text.TABLES.values())


def test_past_the_limit_train_queues_the_run_and_cancel_takes_it_out(monkeypatch):
    from mnist49.app import common

    at = open_app("train")
    monkeypatch.setattr(common.pool(), "limit", 0)  # every place taken
    at.button(key="train").click().run()
    job = at.session_state["job"]
    assert job.snapshot().status == "queued" and not at.exception
    assert at.info[0].value.startswith("**Queued**: place 1 in line")
    assert at.button(key="stop").label == "Cancel" and not at.button(key="stop").disabled
    at.button(key="stop").click().run()
    state = job.snapshot()
    assert state.status == "stopped" and state.reason == "cancelled" and state.run_path is None
    assert "cancelled before it started" in at.success[0].value


def test_past_the_queues_cap_the_server_says_it_is_busy(monkeypatch):
    from mnist49.app import common

    at = open_app("train")
    monkeypatch.setattr(common.pool(), "limit", 0)
    monkeypatch.setattr(common.pool(), "cap", 0)
    at.button(key="train").click().run()
    assert "The server is busy" in at.error[0].value and "job" not in at.session_state


@pytest.mark.parametrize("language", ["en", "ja"])
def test_a_runs_folder_that_cannot_be_written_is_said_before_train(tmp_path, monkeypatch, language):
    (tmp_path / "a-file").write_text("in the way")
    monkeypatch.setenv("MNIST49_RUNS_DIR", str(tmp_path / "a-file" / "runs"))
    at = open_app()
    at.session_state["k_lang"] = language
    at.run()
    expected = text.TABLES[language]["common.runs_dir.not a folder"].split("`")[0]
    assert at.sidebar.error[0].value.startswith(expected) and "MNIST49_RUNS_DIR" in at.sidebar.error[0].value
    at.switch_page("mnist49/app/pages/train.py").run()
    assert not at.exception and "MNIST49_RUNS_DIR" in at.error[0].value
    assert at.button(key="train").disabled  # Train


def test_a_model_much_larger_than_the_recipe_shows_its_size_and_time_before_train():
    at = open_app("train")
    assert not any("A large model" in w.value for w in at.warning)  # the recipe: no hint
    at.text_input(key="k_channels").input("64, 128, 128").run()
    (hint,) = [w.value for w in at.warning if "A large model" in w.value]
    assert "parameters" in hint and "estimated from its size" in hint and not at.exception


def damaged_history(runs_dir, change) -> None:
    """A good run, and a newer one whose history.csv `change` rewrites."""
    runs_with(runs_dir, lambda p: (p / "history.csv").write_text(change((p / "history.csv").read_text())))


def test_one_non_numeric_cell_makes_one_unreadable_run_and_every_page_still_draws(runs_dir):
    damaged_history(runs_dir, lambda s: s.replace("\n2,", "\n2x,", 1))
    for page in ("train", "errors", "compare", "inside", "your_digit"):
        at = open_app(page)
        assert not at.exception, (page, at.exception)
        (said,) = [x.value for x in at.text if "history.csv" in x.value]
        assert "'2x' is not a finite number" in said
    assert len(runs.list_runs(runs_dir)[0]) == 1  # the good run still shows


def test_a_truncated_last_history_line_is_dropped_and_no_nan_is_shown(runs_dir):
    damaged_history(runs_dir, lambda s: s.rstrip("\n").rsplit(",", 2)[0])  # a write cut short
    found, problems = runs.list_runs(runs_dir)
    assert not problems and len(found[0].history) == 1 and not found[0].history.isna().any().any()
    assert found[0].notes == ("history.csv line 3 is cut short (a write that never finished) and left out",)
    at = open_app("train")
    assert not at.exception
    (noted,) = [x.value for x in at.text if "cut short" in x.value]
    assert noted.startswith(found[0].name + ": history.csv line 3")


def test_a_status_holding_markdown_or_html_is_shown_as_text(runs_dir):
    record.train_run(SMALL, runs_dir)
    bad = runs_dir / "zz-bad"
    bad.mkdir()
    shutil.copy(next(runs_dir.glob("*/config.json")), bad / "config.json")
    shutil.copy(next(runs_dir.glob("*/history.csv")), bad / "history.csv")
    hostile = "![p](http://host/x.png)<script>alert(1)</script>"
    (bad / "status.json").write_text(f'{{"status": "{hostile}"}}')
    for page in ("train", "errors", "inside"):
        at = open_app(page)
        assert not at.exception
        assert not any("http://host" in m.value for m in at.markdown)  # never Markdown
        assert any(hostile in x.value for x in at.text)


@pytest.mark.parametrize(
    "key, value", [("seed", '"x"'), ("channels", "[4.0, 8.0, 16.0]"), ("channels", "[Infinity, 8, 16]")]
)
def test_a_config_value_of_the_wrong_type_makes_one_unreadable_run(runs_dir, key, value):
    import json

    def damage(path):
        config = json.loads((path / "config.json").read_text())
        config[key] = "@"
        (path / "config.json").write_text(json.dumps(config).replace('"@"', value))

    runs_with(runs_dir, damage)
    for page in ("train", "errors", "inside", "your_digit"):
        at = open_app(page)
        assert not at.exception, (page, at.exception)
        assert any(f"{key} must be" in x.value for x in at.text)
    assert len(runs.list_runs(runs_dir)[0]) == 1


HOSTILE = "![p](x.png)<script>alert(1)<script>"  # a folder name: no slash


def unescaped(values) -> list[str]:
    return [v for v in values if "![p]" in v or "<script>" in v]


def test_text_from_disk_is_escaped_wherever_it_is_markdown():
    error = runs.RunError(f"{HOSTILE}: weights.pt cannot be read")
    said = text.t("common.run_error", error=error)
    assert "\\!\\[p\\](x.png)\\<script\\>" in said and not unescaped([said])
    assert text.md("a\n- b") == "a - b"  # one line: no list, no heading from a line's start
    assert text.why(None, {}, f"died: {HOSTILE}") == "died: " + text.md(HOSTILE)


def test_a_run_named_with_markdown_and_html_is_text_on_every_page(runs_dir):
    def rename(path):
        (path / "weights.pt").write_bytes(b"\x00garbage")
        path.rename(path.with_name("99999999-" + HOSTILE))

    runs_with(runs_dir, rename)
    at = open_app("inside")
    assert not at.exception
    assert any(text.md(HOSTILE) in e.value for e in at.error) and not unescaped(e.value for e in at.error)
    at.switch_page("mnist49/app/pages/compare.py").run()
    assert not at.exception
    shown = [m.value for m in [*at.markdown, *at.subheader, *at.caption]]
    assert any(text.md(HOSTILE) in v for v in shown) and not unescaped(shown)
