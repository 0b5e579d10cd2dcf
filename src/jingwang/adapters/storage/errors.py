"""Failures of the storage layer that callers report to people rather than as tracebacks."""

from __future__ import annotations


class StorageError(RuntimeError):
    """The database cannot be used: unreachable, misconfigured or failing to migrate."""
