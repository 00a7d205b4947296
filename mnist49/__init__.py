"""mnist49: a small CNN learns to tell handwritten 4s from 9s."""
