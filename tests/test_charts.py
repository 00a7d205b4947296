"""The Altair charts: the specs the pages draw, checked without a browser."""

import colorsys

import altair as alt
import numpy as np
import pandas as pd
from helpers import history

from mnist49 import charts, charts_compare, charts_digits, charts_errors, charts_sweep


def test_curve_chart_has_the_chapter_colours_and_two_axes():
    spec = charts.curves(history([0.6, 0.3], [0.5, 0.4], [0.8, 0.9]), epochs=40)
    text = str(spec)
    assert "#1f77b4" in text and "#2ca02c" in text and "#d62728" in text
    assert spec["resolve"]["scale"]["y"] == "independent"
    assert "[1, 40]" in text  # the x axis spans the whole planned run from the start


def test_curve_spec_stays_the_same_while_a_run_grows():
    """The Train page draws the curves before epoch 1 ends and redraws them every few seconds.
    Only their data may change: then the browser swaps the points in, instead of building the
    chart anew."""
    full = history([0.6, 0.3, 0.2], [0.5, 0.4, 0.45], [0.8, 0.9, 0.92])
    empty, early, later = (charts.curves(full.iloc[:n], epochs=40) for n in (0, 1, 3))
    empty_data, early_data, later_data = (s.pop("datasets") for s in (empty, early, later))
    assert empty == early == later
    assert len(empty_data["losses"]) == len(empty_data["best"]) == 0
    used = {layer["data"]["name"] for side in later["layer"] for layer in side["layer"]}
    assert set(early_data) == set(later_data) == used
    assert len(later_data["losses"]) == 6 and later_data["best"]["epoch"].tolist() == [2]
    records = {name: frame.to_dict("records") for name, frame in later_data.items()}
    alt.LayerChart.from_dict({**later, "datasets": records})  # a valid Vega-Lite spec


def _overfitting(n=40, best=26):
    """Test loss falling to 0.0205 at epoch `best`, then rising to 0.0219; train loss far below."""
    epochs = np.arange(1, n + 1)
    test = np.where(
        epochs <= best, 0.0205 + 0.3 * (best - epochs) / best, 0.0205 + 0.0014 * (epochs - best) / (n - best)
    )
    return history(0.5 / epochs**1.5, test, np.minimum(0.99, 0.6 + 0.01 * epochs))


def test_the_chart_marks_the_lowest_test_loss_and_the_rise_the_reading_speaks_of():
    overfit = _overfitting()
    spec = charts.curves(overfit, 40, rise=True)
    data = spec["datasets"]
    # one label says both losses, so no two labels crowd each other in the zoom
    assert data["best"][["epoch", "point"]].to_dict("records") == [{"epoch": 26, "point": ""}]
    (rise,) = data["rise"].to_dict("records")
    assert (rise["best_epoch"], rise["epoch"], rise["label"]) == (26, 40, "lowest 0.0205, rose to 0.0219")
    losses = spec["layer"][0]["layer"]
    drawn = {(layer["data"]["name"], layer["mark"]["type"]) for layer in losses}
    assert {
        ("best", "point"),
        ("best", "text"),
        ("rise", "rule"),
        ("rise", "point"),
        ("rise", "text"),
    } <= drawn
    plain = charts.curves(overfit, 40)["datasets"]
    assert plain["rise"].empty  # only where the reading says so
    assert plain["best"]["point"].tolist() == ["lowest 0.0205"]  # without the rise, the lowest is labelled
    records = {name: frame.to_dict("records") for name, frame in data.items()}
    alt.LayerChart.from_dict({**spec, "datasets": records})


def test_the_zoom_shows_the_rise_that_a_linear_axis_from_zero_flattens():
    overfit = _overfitting()
    rise = 0.0219 - 0.0205
    whole = charts.curves(overfit, 40, rise=True)
    y = whole["layer"][0]["layer"][2]["encoding"]["y"]
    assert y["scale"]["zero"] is True  # the whole run: 0 to above 0.3, where 0.0014 is a flat line
    spec = charts.curves(overfit, 40, rise=True, zoom=True)
    lines = spec["layer"][0]["layer"][2]
    low, high = lines["encoding"]["y"]["scale"]["domain"]
    assert low < 0.0205 and high > 0.0219
    assert rise / (high - low) > 0.4  # the rise fills much of the axis
    assert lines["encoding"]["x"]["scale"]["domain"] == [12, 40]  # as many epochs before as after
    clipped = {
        layer["data"]["name"]
        for side in spec["layer"]
        for layer in side["layer"]
        if layer["mark"].get("clip")
    }
    assert clipped == set(spec["datasets"]) - {"best", "rise"}  # the marks and their words are not cut
    records = {name: frame.to_dict("records") for name, frame in spec["datasets"].items()}
    alt.LayerChart.from_dict({**spec, "datasets": records})
    # with seeds, their band and their own lines stay inside the zoomed axis
    singles = [overfit.assign(test_loss=overfit["test_loss"] + d) for d in (-0.002, 0.002)]
    spread = pd.DataFrame(
        [
            {"epoch": e, "figure": "test_loss", "min": v - 0.002, "max": v + 0.002}
            for e, v in zip(overfit["epoch"], overfit["test_loss"], strict=True)
        ]
    )
    seeded = charts.curves(overfit, 40, spread=spread, singles=singles, rise=True, zoom=True)
    low, high = seeded["layer"][0]["layer"][2]["encoding"]["y"]["scale"]["domain"]
    assert low < 0.0205 - 0.002 and high > 0.0219 + 0.002


def test_the_chart_draws_the_baseline_it_is_given():
    curves = history([2.3, 2.0], [2.3, 2.1], [0.3, 0.4])

    def rules(spec):
        datasets = spec["datasets"]
        return [
            datasets[layer["data"]["name"]]["test_accuracy"].iloc[0]
            for layer in spec["layer"][1]["layer"]
            if layer["mark"]["type"] == "rule"
        ]

    assert rules(charts.curves(curves)) == [0.5]
    assert rules(charts.curves(curves, baseline=0.1)) == [0.1]


def test_answer_bars_show_every_digit_on_a_fixed_scale_with_the_answer_marked():
    probs = pd.Series([0.02] * 9 + [0.82], index=range(10))
    spec = charts_digits.answer_bars(probs).to_dict()
    (rows,) = spec["datasets"].values()
    assert [r["digit"] for r in rows] == [str(d) for d in range(10)]
    assert [r["digit"] for r in rows if r["answer"]] == ["9"]
    bars = spec["layer"][0]
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1]  # a flip shows as bars that swap
    two = charts_digits.answer_bars(pd.Series([0.7, 0.3], index=[4, 9])).to_dict()
    assert [r["answer"] for r in next(iter(two["datasets"].values()))] == [True, False]


def _summary(values, labels):
    n = len(values)
    return pd.DataFrame(
        {
            "value": values,
            "seeds": [3] * n,
            "run": [f"{i}-{v}" for i, v in enumerate(values)],
            "test_accuracy_mean": np.linspace(0.95, 0.99, n),
            "test_accuracy_sd": [0.01] * n,
            "test_accuracy_min": np.linspace(0.94, 0.98, n),
            "test_accuracy_max": np.linspace(0.96, 1.0, n),
            "lowest_test_loss_mean": np.linspace(0.2, 0.02, n),
            "lowest_test_loss_sd": [0.01] * n,
            "lowest_test_loss_min": np.linspace(0.18, 0.01, n),
            "lowest_test_loss_max": np.linspace(0.22, 0.03, n),
            "label": labels,
        }
    )


def test_the_knob_chart_spaces_log_values_tightly_and_writes_them_as_the_page_does():
    sizes = [250, 500, 1000, 11791]
    spec = charts_sweep.knob(
        _summary(sizes, ["250", "500", "1,000", "11,791"]), "train size", "log", 1000, "test_accuracy"
    ).to_dict()
    x = spec["layer"][0]["encoding"]["x"]
    assert x["scale"]["type"] == "log" and x["scale"]["nice"] is False
    low, high = x["scale"]["domain"]
    assert 150 < low < 250 and 11791 < high < 16000  # not rounded out to 100 and 100,000
    assert x["axis"]["values"] == sizes and x["axis"]["format"] == ",d"
    marked = [layer for layer in spec["layer"] if layer["mark"].get("shape") == "diamond"]
    assert marked  # the best value is marked
    rates = charts_sweep.knob(
        _summary([0.001, 0.01], ["0.001", "0.01"]), "lr", "log", 0.01, "lowest_test_loss"
    ).to_dict()
    assert rates["layer"][0]["encoding"]["x"]["axis"]["format"] == "~g"


def test_a_category_knob_is_drawn_as_points_with_their_range():
    spec = charts_sweep.knob(
        _summary(["adam", "sgd"], ["adam", "sgd"]), "optimizer", "category", "adam", "lowest_test_loss"
    ).to_dict()
    assert (
        spec["layer"][0]["mark"]["type"] == "rule" and spec["layer"][0]["encoding"]["x"]["type"] == "nominal"
    )


def test_the_lr_range_chart_marks_the_suggestion():
    lrs = np.logspace(-6, 0, 50)
    spec = charts_sweep.lr_range(lrs, np.linspace(0.7, 0.1, 50), 1e-3).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["scale"]["type"] == "log"
    assert any(layer["mark"]["type"] == "rule" for layer in spec["layer"])
    assert len(charts_sweep.lr_range(lrs, np.linspace(0.7, 0.1, 50), None).to_dict()["layer"]) == 1
    both = charts_sweep.lr_range(lrs, np.linspace(0.7, 0.1, 50), 1e-3, steepest=1e-2).to_dict()
    rules = [layer for layer in both["layer"] if layer["mark"]["type"] == "rule"]
    assert len(rules) == 2 and rules[0]["mark"]["color"] != rules[1]["mark"]["color"]
    texts = [v["text"] for data in both["datasets"].values() for v in data if "text" in v]
    assert texts == ["suggested 0.001", "steepest 0.01"]


def test_the_confidence_histogram_counts_on_a_linear_axis_with_whole_ticks():
    classified = pd.DataFrame({"correct": [True] * 40 + [False] * 3, "confidence": [0.99] * 40 + [0.6] * 3})
    spec = charts_errors.confidence_histogram(classified).to_dict()
    y = spec["encoding"]["y"]
    assert "scale" not in y or y["scale"].get("type", "linear") == "linear"  # a 3 reads as 3
    assert y["axis"]["tickMinStep"] == 1


def _luminance(colour: str) -> float:
    """WCAG relative luminance of #rrggbb: 1 is white."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _hue(colour: str) -> float:
    return colorsys.rgb_to_hsv(*(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)))[0] * 360


def test_compare_tells_runs_apart_by_hue_and_by_a_short_label_that_keeps_what_differs():
    names = ["20261204-183701-cnn-7a3f2c", "20261204-183702-cnn-7b9e01", "20261204-190455-mlp-c0ffee"]
    long = pd.DataFrame(
        [
            {"run": n, "epoch": e, "metric": m, "value": 0.5}
            for n in names
            for e in (1, 2)
            for m in ("train_loss", "test_loss", "test_accuracy")
        ]
    )
    spec = charts_compare.compare(long).to_dict()
    colour = spec["layer"][0]["layer"][1]["encoding"]["color"]
    labels, colours = colour["scale"]["domain"], colour["scale"]["range"]
    assert labels == ["A 183701-cnn-7a3f2c", "B 183702-cnn-7b9e01", "C 190455-mlp-c0ffee"]
    assert colour["legend"]["labelLimit"] == 0  # nothing cut: the labels are short
    hues = [_hue(c) for c in colours]
    for i, a in enumerate(hues):  # no two runs in two blues
        for b in hues[i + 1 :]:
            assert min(abs(a - b), 360 - abs(a - b)) > 20
    assert all(_luminance(c) < 0.6 for c in colours)  # no swatch near white
    shown = {row["label"] for rows in spec["datasets"].values() for row in rows if "label" in row}
    assert shown == set(labels)


def test_run_labels_are_short_distinct_and_keep_the_end_of_a_long_name():
    many = [f"20261204-1837{i:02d}-cnn-{i:06x}" for i in range(12)]
    labels = charts_compare.run_labels(many)
    assert len(set(labels.values())) == 12
    assert all(len(v) <= charts_compare.LABEL_LENGTH for v in labels.values())
    assert labels[many[11]] == "L 183711-00000b"
    long = charts_compare.run_labels(["a-" + "x" * 40 + "-tail1", "a-" + "x" * 40 + "-tail2"])
    assert all(v.endswith(("tail1", "tail2")) and len(v) <= 24 for v in long.values())
    assert charts_compare.run_labels(["only-one"]) == {"only-one": "A only-one"}
    assert [charts_compare.letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]


def test_the_axis_spans_the_planned_epochs_while_training_and_the_epochs_run_once_ended():
    from types import SimpleNamespace

    from mnist49.app.run_view import axis_epochs

    stopped = _overfitting().iloc[:32]
    live, ended = (SimpleNamespace(records=[{}] * 32, done=done) for done in (False, True))
    for state, end in ((live, 300), (ended, 32)):
        for zoom in (False, True):
            spec = charts.curves(stopped, axis_epochs(state, 300), zoom=zoom)
            lines = spec["layer"][0]["layer"][2]
            assert lines["encoding"]["x"]["scale"]["domain"][1] == end
