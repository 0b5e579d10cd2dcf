"""Alembic environment: migrates over the connection handed in by ``migrate.py``.

There is no offline (SQL script) mode and no ``alembic.ini``: the service migrates its
own database at start-up, and ``jingwang.adapters.storage.migrate`` builds the config.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from jingwang.adapters.storage.models import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("run migrations through jingwang.adapters.storage.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
