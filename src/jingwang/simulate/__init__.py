"""Synthetic data generators for benchmarks, tests and demonstrations."""
