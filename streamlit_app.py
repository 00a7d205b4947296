"""mnist49: train the chapter's CNN on 4s and 9s and watch it learn."""

import streamlit as st

from mnist49.config import Config
from mnist49.runs import train_run

st.title("mnist49: 4 or 9?")
epochs = st.number_input("Epochs", 1, 200, Config().epochs)
if st.button("Train"):
    chart = st.empty()
    rows = []

    def draw(record):
        rows.append(record.__dict__)
        chart.line_chart(rows, x="epoch", y=["train_loss", "test_loss", "test_accuracy"])

    run, _ = train_run(Config(epochs=int(epochs)), "runs", [draw])
    st.write(f"{run.status}: test accuracy {run.history.test_accuracy.iloc[-1]:.3f}")
