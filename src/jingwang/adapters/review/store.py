"""The review store that belongs beside a storage: in memory, or the same database."""

from __future__ import annotations

import weakref

from sqlalchemy.orm import sessionmaker

from jingwang.adapters.storage import InMemoryStorage, SqlStorage, Storage
from jingwang.adapters.storage.review import ReviewStore
from jingwang.adapters.storage.review_memory import InMemoryReviewStore
from jingwang.adapters.storage.review_sql import SqlReviewStore

# An in-memory storage keeps its review records for as long as it lives, so that an app
# restarted over the same storage object (as tests do) finds its cases again.
_IN_MEMORY: weakref.WeakKeyDictionary[Storage, InMemoryReviewStore] = weakref.WeakKeyDictionary()


def review_store_for(storage: Storage) -> ReviewStore:
    if isinstance(storage, SqlStorage):
        return SqlReviewStore(sessionmaker(storage.engine, expire_on_commit=False))
    if isinstance(storage, InMemoryStorage):
        return _IN_MEMORY.setdefault(storage, InMemoryReviewStore())
    raise TypeError(f"no review store for {type(storage).__name__}")
