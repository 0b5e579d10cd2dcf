"""Settings from ``JINGWANG_*`` variables; prod mode refuses what is only safe in dev."""

from __future__ import annotations

import pytest

from jingwang.settings import Settings, SettingsError, load_settings

POSTGRES = "postgresql+psycopg://jw:secret@db.internal/jingwang"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "MODE", "MAX_TEXT_CHARS", "MAX_ITEMS_PER_REQUEST"):
        monkeypatch.delenv(f"JINGWANG_{name}", raising=False)
    monkeypatch.delenv("JINGWANG_ALLOW_PRIVATE_URLS", raising=False)


def test_defaults_suit_local_development() -> None:
    settings = load_settings()
    assert settings.database_url == "sqlite:///./jingwang.db"
    assert settings.mode == "dev"
    assert settings.max_text_chars == 10_000
    assert settings.max_items_per_request == 100
    assert settings.allow_private_urls is False


def test_environment_overrides_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINGWANG_DATABASE_URL", POSTGRES)
    monkeypatch.setenv("JINGWANG_MAX_ITEMS_PER_REQUEST", "7")
    monkeypatch.setenv("JINGWANG_ALLOW_PRIVATE_URLS", "1")
    settings = load_settings()
    assert (settings.database_url, settings.max_items_per_request) == (POSTGRES, 7)
    assert settings.allow_private_urls is True


def test_prod_accepts_a_database_server() -> None:
    assert Settings(mode="prod", database_url=POSTGRES).mode == "prod"


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"JINGWANG_MODE": "prod"}, "points at SQLite"),
        (
            {
                "JINGWANG_MODE": "prod",
                "JINGWANG_DATABASE_URL": POSTGRES,
                "JINGWANG_ALLOW_PRIVATE_URLS": "1",
            },
            "must stay off in prod mode",
        ),
        ({"JINGWANG_MODE": "staging"}, "JINGWANG_MODE:"),
        ({"JINGWANG_MAX_TEXT_CHARS": "0"}, "JINGWANG_MAX_TEXT_CHARS:"),
    ],
)
def test_unusable_settings_are_refused_with_a_clear_message(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], message: str
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message):
        load_settings()
