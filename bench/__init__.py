"""Benchmarks that print their figures as ratios against a bare Flask floor measured in the same run."""
