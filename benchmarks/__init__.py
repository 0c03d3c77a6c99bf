"""Benchmarks: run with `make bench`. Results are written down in benchmarks/RESULTS.md."""
