"""What the pages and the CLI compute from runs; they return values, never print."""
