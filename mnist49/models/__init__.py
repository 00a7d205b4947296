"""The models: the registry (model.py), the nets, the optimizers, R replicates as one batched model."""
