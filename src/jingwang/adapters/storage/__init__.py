"""Storage adapters: repositories with an in-memory and a SQLAlchemy implementation.

Migrations are packaged in ``migrations/`` and applied by :meth:`Storage.migrate`.
"""

from jingwang.adapters.storage.api_keys import (
    ApiKey,
    ApiKeyRepo,
    DuplicateKeyError,
    IssuedKey,
    Role,
    hash_key,
    issue_key,
)
from jingwang.adapters.storage.audit import AuditDraft, AuditEntry, AuditLog, ChainCheck
from jingwang.adapters.storage.base import Storage
from jingwang.adapters.storage.enforcement import (
    AccountRecord,
    ActionDraft,
    ActionRecord,
    DuplicateRecordError,
    EnforcementUnit,
    EventRecord,
    GroupRecord,
    RegistrationRecord,
    SubjectRecord,
)
from jingwang.adapters.storage.errors import StorageError
from jingwang.adapters.storage.memory import InMemoryApiKeyRepo, InMemoryStorage
from jingwang.adapters.storage.sql import PoolOptions, SqlApiKeyRepo, SqlStorage

__all__ = [
    "AccountRecord",
    "ActionDraft",
    "ActionRecord",
    "ApiKey",
    "ApiKeyRepo",
    "AuditDraft",
    "AuditEntry",
    "AuditLog",
    "ChainCheck",
    "DuplicateKeyError",
    "DuplicateRecordError",
    "EnforcementUnit",
    "EventRecord",
    "GroupRecord",
    "InMemoryApiKeyRepo",
    "InMemoryStorage",
    "IssuedKey",
    "PoolOptions",
    "RegistrationRecord",
    "Role",
    "SqlApiKeyRepo",
    "SqlStorage",
    "Storage",
    "StorageError",
    "SubjectRecord",
    "hash_key",
    "issue_key",
]
