"""An app over in-memory storage and a one-rule detector, with a key for every role.

Clients are entered as context managers, so that the app's lifespan (which opens the
storage and scanner) runs as it does under a real server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jingwang.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'jingwang.db'}",
        mode="dev",
        max_items_per_request=5,
        max_text_chars=200,
    )
