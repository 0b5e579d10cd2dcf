"""Refusals of the enforcement service, each with a stable code for API clients."""

from __future__ import annotations


class EnforcementError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotFoundError(EnforcementError):
    """The account, group, subject or event named does not exist."""


class ConflictError(EnforcementError):
    """The request contradicts what is stored (a duplicate id, a mismatching document)."""


class InvalidActionError(EnforcementError):
    """A manual action that cannot apply to its target as asked."""
