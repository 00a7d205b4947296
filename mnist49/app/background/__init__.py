"""The app's training in the background: the job pool, its worker processes (or a Ray cluster's tasks),
and the label check's own process."""
