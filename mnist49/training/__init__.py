"""Training: the loop (fit), what it measures after each epoch (evaluate), its step as a CUDA graph
(graphed), replicates trained together and their shards, the LR range test, the events the loop
reports in, and a run's history rows."""
