"""Benchmarks B1–B6 of QUALITY.md, each against its baseline in the same run; entry point `python -m bench.run`."""
