"""Batch engines that run a function over a stream of work in order."""
