"""Alembic environment and revisions; run them through :mod:`jingwang.adapters.storage.migrate`."""
