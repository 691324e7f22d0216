"""landcoord's benchmarks: each script times landcoord against a peer on the same data in one run."""
