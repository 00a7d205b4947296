"""Both languages say everything: the same keys, the same fields, and no English left in Japanese."""

import json
import re
import string

import pandas as pd
import pytest
from helpers import APP, open_app, train
from streamlit.testing.v1 import AppTest

from mnist49.app import text


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_is_in_both_languages_with_the_same_fields():
    assert set(text.EN) == set(text.JA)
    for key in text.EN:
        assert text.JA[key].strip(), key
        assert fields(text.EN[key]) == fields(text.JA[key]), key


def test_japanese_translates_every_text_but_pure_layout():
    untranslated = [k for k in text.EN if text.EN[k] == text.JA[k]]
    assert untranslated == ["inside.stage"]  # "**{name}** -> {shape}": names and shapes only


def english_pieces() -> set[str]:
    """Long literal pieces of the English texts that have a different Japanese text."""
    pieces = set()
    for key, template in text.EN.items():
        if template == text.JA[key]:
            continue
        for literal, *_ in string.Formatter().parse(template):
            literal = literal.strip(" *.,:;()")
            if len(literal) >= 12:
                pieces.add(literal)
    return pieces


def visible_text(node) -> list[str]:
    if getattr(node, "type", None) == "code":  # a run's training script: code is the same in both
        return []
    found = []
    for attribute in ("value", "label", "body", "help", "placeholder"):
        try:
            value = getattr(node, attribute, None)
        except ValueError:  # AppTest cannot map a formatted choice back: its options hold it
            value = None
        if isinstance(value, str) and not (attribute == "value" and hasattr(node, "options")):
            found.append(value)  # a choice widget's value is its raw option; its options are shown
        elif isinstance(value, pd.DataFrame):  # its headers and row names are words; cells are data
            config = json.loads(node.proto.columns or "{}")  # st.column_config's labels, by column
            found += [config.get(str(c), {}).get("label", str(c)) for c in value.columns]
            found.append(str(value.index.name or ""))
            found += [i for i in value.index if isinstance(i, str)]
    for option in getattr(node, "options", None) or []:
        if isinstance(option, str):
            found.append(option)
    if getattr(node, "type", None) == "image":  # captions under pictures are page text
        found += [img.caption for img in node.proto.imgs]
    children = getattr(node, "children", {})
    for child in children.values() if isinstance(children, dict) else children:
        found += visible_text(child)
    return found


# Names a Japanese text writes in Latin letters: the data set, models, layers, optimizers,
# activation functions, file formats and the CLI's name.
TECHNICAL_NAMES = {
    *("MNIST", "CNN", "MLP", "Conv2d", "ReLU", "MaxPool2d", "Linear", "Dropout", "Flatten"),
    *("ReLU", "Mish", "GELU", "SiLU", "Tanh", "LeakyReLU", "Sigmoid", "BCE"),
    *(
        "Adam",
        "AdamW",
        "RAdam",
        "SGD",
        "momentum",
        "fastai",
        "valley",
        "Welch",
        "McNemar",
    ),  # valley: fastai's rule
    *("Python", "PyTorch", "torch", "torchvision", "numpy"),
    *("CSV", "PNG", "JPEG", "CPU", "GPU", "CUDA", "URL"),
    *("Northcutt", "Athalye", "Mueller", "NeurIPS"),  # the reviewed labels' citation
    *("English", "Language"),  # the language picker, "Language / 言語", names each language in its own
}


def test_no_english_is_left_on_any_page_in_japanese(offline, fresh_pool, monkeypatch):
    from helpers import write_blocks_root

    write_blocks_root(offline)  # for a second pass with a run of all ten digits
    monkeypatch.setenv("MNIST49_RUNS_DIR", str(offline.parent / "runs"))  # not beside the digits
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["k_lang"] = "ja"  # from the first run, as a user who switched at once
    at.session_state["k_augment"] = ["rotate"]
    at.run().switch_page("mnist49/app/pages/train.py").run()
    train(train(at, epochs=3, train_size=800, test_size=200), epochs=2, train_size=800, test_size=200)
    pieces = english_pieces()

    def check_every_page() -> None:
        for page in ("samples", "train", "sweep", "errors", "compare", "inside", "your_digit"):
            at.switch_page(f"mnist49/app/pages/{page}.py").run()
            assert not at.exception, page
            shown = "\n".join(visible_text(at._tree))
            assert at.title[0].value == text.JA[f"page.{page}"]
            left = [p for p in pieces if p in shown]
            assert not left, (page, left)
            # and no English phrase written straight into a page: four English words in a row
            assert not re.findall(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){3,}\b", shown), page
            # nor any English word but the technical names a Japanese text keeps as they are
            # less st.html's tags and `code` (command lines, the same in both languages)
            prose = re.sub(r"<style>.*?</style>|<[^>]*>|`[^`]*`", "", shown, flags=re.S)
            words = set(re.findall(r"(?<![A-Za-z0-9_./-])[A-Za-z]{3,}(?![A-Za-z0-9_./-])", prose))
            assert not words - TECHNICAL_NAMES, (page, sorted(words - TECHNICAL_NAMES))

    check_every_page()
    at.switch_page("mnist49/app/pages/train.py").run()
    at.selectbox(key="k_digits").set_value("all").run()
    train(at, epochs=2)
    check_every_page()  # now with the ten-digit run's pages: no threshold, a 10x10 matrix


def test_what_the_core_says_goes_wrong_is_said_in_japanese_too():
    """Errors the core raises carry a kind and facts; the pages say them in the chosen language."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["k_lang"] = "ja"
    at.run().switch_page("mnist49/app/pages/train.py").run()
    at.text_input(key="k_channels").input("4, 8").run()
    assert at.error[0].value.startswith("畳み込みのチャネル数は")
    at.text_input(key="k_channels").input("4, 8, 16").run()
    at.slider(key="k_epochs").set_value(300).run()
    at.button(key="train").click().run()
    assert at.session_state["job"].wait_for(1, 60)  # an epoch done, within a minute
    at.button(key="stop").click().run()  # Stop
    at.session_state["job"].join(30)
    at.run()
    assert not at.exception
    assert any("あなたが止めました" in s.value for s in at.success)
    at.switch_page("mnist49/app/pages/your_digit.py").run()
    for name, raw, words in (
        ("empty.png", b"", "ファイルが空です"),
        ("notes.png", b"not a picture", "読める画像ではありません"),
    ):
        at.file_uploader(key="own_upload").set_value((name, raw, "image/png")).run()
        assert not at.exception and words in at.error[0].value


def test_english_is_the_default():
    at = open_app()
    assert at.title[0].value == "Samples"
    assert at.session_state["k_lang"] == "en"


def test_every_config_field_and_width_name_has_words_in_both_languages():
    """Compare's settings table names config fields, and a remedy names a model's widths: from
    the tables, so that Japanese does not show "dropout" or "channels (2, 4, 8)"."""
    import dataclasses

    from mnist49.config import Config
    from mnist49.models.model import MODELS

    for table in (text.EN, text.JA):
        assert all(f"field.{f.name}" in table for f in dataclasses.fields(Config))
        assert all(f"remedy.what.{spec.widths}" in table for spec in MODELS.values())
    assert text.JA["remedy.fewer params"].format(what=text.JA["remedy.what.channels"], value=(2, 4, 8)) == (
        "パラメータを減らす（チャネル数 (2, 4, 8)）"
    )


def test_a_key_with_a_singular_is_used_for_one():
    assert text.t("errors.count", n=1, total=500, accuracy=0.998).startswith("**1 error** out of")
    assert text.t("errors.count", n=2, total=500, accuracy=0.996).startswith("**2 errors** out of")


# Japanese letters and full-width punctuation: kana, kanji, and the full-width forms （）「」、。：！？
JAPANESE = "\u3000-\u30ff\u3400-\u9fff\uff01-\uff60"
FULL_WIDTH = "、。，．（）「」『』：；！？…"


def japanese_layout_faults(template: str) -> list[str]:
    """Where a Japanese template mixes half-width brackets into Japanese text or spaces Japanese
    apart. Spaces next to Latin words, numbers and {placeholders} are kept, as the tables do
    throughout ("{n} 個", "MNIST を"); brackets around Japanese are full-width, and so are
    brackets after it, while p({digit}) stays the formula it is in English."""
    text = re.sub(r"\{[^{}]*\}", "X", template)  # a placeholder is Latin text or a number
    text = text.replace("**", "")  # bold marks no space: "のうち**誤り" reads "のうち誤り"
    rules = {
        "half-width ( after Japanese": rf"[{JAPANESE}] ?\(",
        "half-width brackets around Japanese": rf"\([^()]*[{JAPANESE}][^()]*\)",
        "space between Japanese": rf"[{JAPANESE}] +[{JAPANESE}]",
        "space by full-width punctuation": rf"[{FULL_WIDTH}] | [{FULL_WIDTH}]",
        "space before Japanese at the start": rf"^ +[{JAPANESE}]",
        "two spaces": r"\S  +\S",
    }
    return [name for name, rule in rules.items() if re.search(rule, text)]


def test_japanese_keeps_full_width_brackets_and_no_stray_spaces():
    faults = {key: found for key, value in text.JA.items() if (found := japanese_layout_faults(value))}
    assert not faults, faults


@pytest.mark.parametrize(
    ("template", "faults"),
    [
        ("レビューの判定が割れました ({votes})", ["half-width ( after Japanese"]),
        (
            "人が確認しています (Northcutt ら, 2021):",
            ["half-width ( after Japanese", "half-width brackets around Japanese"],
        ),
        ("p(正解 {digit})", ["half-width brackets around Japanese"]),
        ("最初の {n} 個を 表示", ["space between Japanese"]),
        ("{name}  （{digits}）", ["space by full-width punctuation", "two spaces"]),
        ("**良くなったか？** {child} と", ["space by full-width punctuation"]),
        ("**良くなったか？**\u3000{child} と", []),  # the full-width space Japanese sets after ？
        (" 最初の {n} 個", ["space before Japanese at the start"]),
        ("p({digit}) のしきい値、{n} 個（{k} シード）", []),
    ],
)
def test_the_japanese_layout_check_sees_each_fault(template, faults):
    assert japanese_layout_faults(template) == faults


def test_a_japanese_name_in_a_field_is_not_spaced_apart_from_the_japanese_around_it():
    facts = {"delta": 0.02, "confidence": 0.95, "low": -0.03, "high": -0.01, "p": 0.001}
    names = {"a": text.JA["labels.versus_before"], "b": text.JA["labels.versus_after"]}
    template = text.JA["verdict.loss better"]
    assert "除いた実行 の最小テスト損失は 除く前の実行 より" in template.format(**names, **facts)
    said = text.japanese_format(template, names | facts)
    assert said.startswith("除いた実行の最小テスト損失は除く前の実行より 0.0200 低く（95% 区間 -0.0300〜")
    latin = {"a": "run-2", "b": "run-3"} | facts  # Latin names keep their spaces
    assert text.japanese_format(template, latin) == template.format(**latin)
    # a value's own spaces stay: a folder is shown as it is named
    path = "/データ フォルダ/実行"
    assert f"`{path}`" in text.japanese_format(text.JA["train.no_runs"], {"path": path})
    assert text.japanese_format("{text!r} と {n:,} 個", {"text": "a", "n": 1000}) == "'a' と 1,000 個"


PAGES = ("samples", "train", "sweep", "errors", "compare", "inside", "your_digit", "label_check")


def widget_labels(node) -> list[str]:
    """The labels of the widgets under `node`, in page order."""
    from streamlit.testing.v1.element_tree import Widget

    found = [node.label] if isinstance(node, Widget) and getattr(node, "label", None) else []
    children = getattr(node, "children", {})
    for child in children.values() if isinstance(children, dict) else children:
        found += widget_labels(child)
    return found


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_two_widgets_on_a_page_share_a_label(runs_dir, lang):
    """Errors had two controls called 表示 and two called 数字 (in English View/Show and
    Digit/Digits): a learner cannot tell which one the text means. Runs of one and of three
    seeds, so that the pages show their seed pickers and Compare its pair."""
    from mnist49.config import Config
    from mnist49.runs import record

    recipe = Config(train_size=300, test_size=100, epochs=2, device="cpu")
    record.train_run(recipe, runs_dir)
    record.train_run(recipe.replace(lr=0.0004, seeds=3), runs_dir)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["k_lang"] = lang
    at.run()
    for page in PAGES:
        at.switch_page(f"mnist49/app/pages/{page}.py").run()
        assert not at.exception, page
        labels = widget_labels(at.main)
        assert labels, page
        shared = {label for label in labels if labels.count(label) > 1}
        assert not shared, (page, shared, labels)
