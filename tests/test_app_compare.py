import json

import pytest
from helpers import open_app, train


def test_with_fewer_than_two_runs_the_page_says_so():
    at = open_app("compare")
    assert "at least two runs" in at.info[0].value and not at.exception


def test_two_runs_overlaid_with_their_differences():
    at = train(open_app("train"), epochs=3, train_size=600, test_size=200)
    at = train(at, epochs=2, train_size=600, test_size=200)
    at.switch_page("mnist49/app/pages/compare.py").run()
    assert not at.exception
    assert len(at.multiselect[0].value) == 2
    assert len(at.get("vega_lite_chart")) == 1
    differ = at.dataframe[0].value
    assert differ["/setting"].tolist() == ["epochs"]
    assert at.subheader[-1].value.startswith("Digits one run gets right and the other wrong")
    assert [s.value for s in at.subheader][:2] == ["Is the difference real?", "Settings that differ"]


def test_runs_of_other_digits_are_not_set_side_by_side(offline, fresh_pool):
    from helpers import write_blocks_root

    write_blocks_root(offline)
    at = train(open_app("train"), epochs=1, train_size=100, test_size=100)
    at.selectbox(key="k_digits").set_value("all").run()
    at = train(at, epochs=1, test_size=100)
    at.switch_page("mnist49/app/pages/compare.py").run()
    assert not at.exception
    assert "digits" in at.dataframe[0].value["/setting"].tolist()
    assert any("not tested on the same digits" in c.value for c in at.caption)


def test_the_picked_runs_stay_picked_across_pages(runs_dir):
    from mnist49.config import Config
    from mnist49.runs.record import train_run

    names = [
        train_run(Config(epochs=1, train_size=200, test_size=50, seed=s), runs_dir)[0].name for s in range(3)
    ]
    at = open_app("compare")
    picked = [names[0], names[2]]  # not the two newest, which the page picks at first
    at.multiselect(key="k_compare_runs").set_value(picked).run()
    at.switch_page("mnist49/app/pages/train.py").run()
    at.switch_page("mnist49/app/pages/compare.py").run()
    assert not at.exception
    assert at.multiselect(key="k_compare_runs").value == picked


def test_disagreeing_digits_show_their_review(runs_dir):
    """Two runs on every bundled test 4 and 9 split on some digits MNIST's reviewers saw: each
    shows its badge under the gallery."""
    from mnist49 import runs
    from mnist49.analysis import compare, reviews
    from mnist49.config import Config
    from mnist49.runs import record

    for seed in (0, 1):
        record.train_run(Config(train_size=1000, test_size=None, epochs=2, seed=seed, device="cpu"), runs_dir)
    at = open_app("compare")
    assert not at.exception
    found, _ = runs.list_runs(runs_dir)
    by_name = {r.name: r for r in found}
    a, b = (by_name[n] for n in at.multiselect[0].value[:2])
    split = compare.disagreements(a, b)
    reviewed = [int(i) for i in split["index"] if reviews.review(i) is not None]
    assert reviewed  # two epochs on 1,000 digits: the runs differ on some doubtful digits
    listed = "".join(m.value for m in at.markdown if "badge[" in m.value)
    for i in reviewed:
        assert f"#{i}: :" in listed


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_each_column_of_the_settings_is_as_wide_as_its_header_and_its_longest_setting(runs_dir, lang):
    """The grid's own sizing cut a long Japanese setting ("シードごとに訓練データを変える" as
    "シードごとに訓練") at 1000 and 1400 px: each column is as wide as its widest text, header or
    cell, drawn at 14 px a Japanese character (seen in a browser)."""
    from mnist49.app.tables import PADDING, text_width
    from mnist49.app.text import TABLES
    from mnist49.config import Config
    from mnist49.runs.record import train_run

    short = Config(epochs=1, train_size=100, test_size=50, device="cpu")
    a, b = (train_run(c, runs_dir)[0] for c in (short, short.replace(seeds=2, vary_data=True, dropout=0.2)))
    at = open_app()
    at.session_state["k_lang"] = lang
    at.switch_page("mnist49/app/pages/compare.py").run()
    assert not at.exception
    columns = json.loads(at.dataframe[0].proto.columns)
    setting = TABLES[lang]["compare.setting"]
    assert sorted(c for c in columns if c != "_index") == sorted(["/setting", a.name, b.name])
    assert columns["/setting"]["label"] == setting
    for name, config in columns.items():
        if name != "_index":  # hidden
            assert config["width"] >= text_width(config["label"]) + PADDING, (name, config)
    names = [TABLES[lang][f"field.{f}"] for f in ("dropout", "seeds", "vary_data")]
    assert at.dataframe[0].value["/setting"].tolist() == names
    assert columns["/setting"]["width"] >= max(map(text_width, names)) + PADDING
    if lang == "ja":  # シードごとに訓練データを変える: fifteen characters of 14 px
        assert columns["/setting"]["width"] >= 15 * 14


def test_a_run_named_as_the_settings_column_and_a_long_setting(runs_dir):
    """A run whose folder is called "setting" made the table's column twice (a ValueError on the
    page); a run without 100 suspect labels made its column 4,924 px wide, the other off-screen."""
    from mnist49.app.tables import MAX_WIDTH
    from mnist49.config import Config
    from mnist49.runs.record import train_run

    short = Config(epochs=1, train_size=300, test_size=50, device="cpu")
    a, _ = train_run(short, runs_dir)
    b, _ = train_run(short.replace(exclude=tuple(range(1000, 1100))), runs_dir)
    b.path.rename(b.path.with_name("setting"))
    at = open_app("compare")
    assert not at.exception
    columns = json.loads(at.dataframe[0].proto.columns)
    assert "setting" in columns and "/setting" in columns
    assert max(c["width"] for name, c in columns.items() if name != "_index") == MAX_WIDTH
