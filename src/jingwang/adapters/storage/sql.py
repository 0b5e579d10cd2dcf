"""SQLAlchemy storage: SQLite for the embedded default, PostgreSQL in production."""

from __future__ import annotations

import builtins
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, create_engine, make_url, select, text
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from jingwang.adapters.storage import migrate
from jingwang.adapters.storage.api_keys import ApiKey, ApiKeyRepo, DuplicateKeyError, Role
from jingwang.adapters.storage.base import Storage
from jingwang.adapters.storage.enforcement import EnforcementUnit
from jingwang.adapters.storage.enforcement_sql import SqlEnforcement
from jingwang.adapters.storage.errors import StorageError
from jingwang.adapters.storage.models import ApiKeyRow
from jingwang.adapters.storage.times import as_utc
from jingwang.settings import Settings

# Health checks must answer quickly when the server is gone rather than hang.
POSTGRES_CONNECT_TIMEOUT_S = 5


def _to_api_key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        key_hash=row.key_hash,
        key_prefix=row.key_prefix,
        created_at=as_utc(row.created_at),
        revoked_at=None if row.revoked_at is None else as_utc(row.revoked_at),
    )


class SqlApiKeyRepo(ApiKeyRepo):
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def create(self, name: str, role: Role, key_hash: str, key_prefix: str) -> ApiKey:
        row = ApiKeyRow(
            name=name,
            role=role.value,
            key_hash=key_hash,
            key_prefix=key_prefix,
            created_at=datetime.now(UTC),
        )
        try:
            with self._sessions.begin() as session:
                session.add(row)
        except IntegrityError:
            raise DuplicateKeyError(key_prefix) from None
        return _to_api_key(row)

    def find_by_hash(self, key_hash: str) -> ApiKey | None:
        with self._sessions() as session:
            row = session.scalars(select(ApiKeyRow).where(ApiKeyRow.key_hash == key_hash)).first()
            return None if row is None else _to_api_key(row)

    def revoke(self, key_id: int) -> ApiKey | None:
        with self._sessions.begin() as session:
            row = session.get(ApiKeyRow, key_id, with_for_update=True)
            if row is None:
                return None
            if row.revoked_at is None:
                row.revoked_at = datetime.now(UTC)
        return _to_api_key(row)

    def list(self) -> builtins.list[ApiKey]:
        with self._sessions() as session:
            rows = session.scalars(select(ApiKeyRow).order_by(ApiKeyRow.id))
            return [_to_api_key(row) for row in rows]


def _display_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


@dataclass(frozen=True, slots=True)
class PoolOptions:
    """The connection pool of a server database (PostgreSQL). Each server or worker
    process holds up to ``size + max_overflow`` connections; a request that finds none
    free waits ``timeout_s`` and then fails rather than queueing without bound.
    Connections are checked before use (``pre_ping``: a restarted database or a
    load balancer's idle cut costs a reconnect, not an error) and replaced after
    ``recycle_s``."""

    size: int = 10
    max_overflow: int = 10
    timeout_s: float = 10.0
    recycle_s: int = 1800
    pre_ping: bool = True

    @classmethod
    def from_settings(cls, settings: Settings) -> PoolOptions:
        return cls(
            size=settings.database_pool_size,
            max_overflow=settings.database_max_overflow,
            timeout_s=settings.database_pool_timeout_s,
            recycle_s=settings.database_pool_recycle_s,
        )


def _engine_options(url: str, pool: PoolOptions) -> dict[str, Any]:
    if make_url(url).get_backend_name() == "postgresql":
        return {
            "connect_args": {"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S},
            "pool_size": pool.size,
            "max_overflow": pool.max_overflow,
            "pool_timeout": pool.timeout_s,
            "pool_recycle": pool.recycle_s,
            "pool_pre_ping": pool.pre_ping,
        }
    return {}


class SqlStorage(Storage):
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Records leave the session as plain dataclasses, so nothing needs reloading.
        sessions = sessionmaker(engine, expire_on_commit=False)
        self.api_keys = SqlApiKeyRepo(sessions)
        self._enforcement = SqlEnforcement(sessions)

    def enforcement(self) -> AbstractContextManager[EnforcementUnit]:
        return self._enforcement.transaction()

    @classmethod
    def from_url(cls, url: str, pool: PoolOptions | None = None) -> SqlStorage:
        """Storage for a database URL; connects lazily, on first use."""
        try:
            return cls(create_engine(url, **_engine_options(url, pool or PoolOptions())))
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise StorageError(f"cannot use database URL {_display_url(url)}: {exc}") from None

    def migrate(self) -> None:
        try:
            migrate.upgrade(self.engine)
        except SQLAlchemyError as exc:
            url = self.engine.url.render_as_string(hide_password=True)
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StorageError(f"database {url} is not usable: {reason}") from None

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def close(self) -> None:
        self.engine.dispose()
