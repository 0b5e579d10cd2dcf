"""Prod mode refuses what is only safe on a developer's machine, before serving anything."""

from __future__ import annotations

import pytest

from jingwang.api import create_app
from jingwang.console.session import ConsoleSecretError, console_secret
from jingwang.settings import Settings, SettingsError, load_settings

POSTGRES = "postgresql+psycopg://jw:db-password@db.internal/jingwang"
GOOD_PEPPER = "p" * 32
GOOD_CONSOLE_SECRET = "c" * 32


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "MODE", "ALLOW_PRIVATE_URLS", "IDENTITY_PEPPER"):
        monkeypatch.delenv(f"JINGWANG_{name}", raising=False)
    monkeypatch.delenv("JINGWANG_CONSOLE_SECRET", raising=False)


def _prod(monkeypatch: pytest.MonkeyPatch, **variables: str) -> None:
    monkeypatch.setenv("JINGWANG_MODE", "prod")
    for name, value in variables.items():
        monkeypatch.setenv(f"JINGWANG_{name}", value)


def test_prod_refuses_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    _prod(monkeypatch, DATABASE_URL="sqlite:////var/lib/jingwang.db")
    with pytest.raises(SettingsError, match="SQLite"):
        load_settings()


def test_prod_refuses_the_default_database(monkeypatch: pytest.MonkeyPatch) -> None:
    _prod(monkeypatch)
    with pytest.raises(SettingsError, match="SQLite"):
        load_settings()


def test_prod_refuses_private_url_fetching(monkeypatch: pytest.MonkeyPatch) -> None:
    _prod(monkeypatch, DATABASE_URL=POSTGRES, ALLOW_PRIVATE_URLS="1")
    with pytest.raises(SettingsError, match="ALLOW_PRIVATE_URLS"):
        load_settings()


@pytest.mark.parametrize("pepper", [None, "", "too-short-pepper"])
def test_prod_refuses_a_missing_or_short_pepper(
    monkeypatch: pytest.MonkeyPatch, pepper: str | None
) -> None:
    if pepper is not None:
        monkeypatch.setenv("JINGWANG_IDENTITY_PEPPER", pepper)
    settings = Settings(mode="prod", database_url=POSTGRES)
    # create_app reads the pepper at once: a bad one stops start-up, not a request.
    with pytest.raises(SettingsError, match="JINGWANG_IDENTITY_PEPPER"):
        create_app(settings)


def test_prod_starts_with_real_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINGWANG_IDENTITY_PEPPER", GOOD_PEPPER)
    monkeypatch.setenv("JINGWANG_CONSOLE_SECRET", GOOD_CONSOLE_SECRET)
    # Building the app opens nothing: no database server is needed for this check.
    assert create_app(Settings(mode="prod", database_url=POSTGRES)).title


def test_prod_app_refuses_a_missing_console_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JINGWANG_IDENTITY_PEPPER", GOOD_PEPPER)
    with pytest.raises(ConsoleSecretError, match="JINGWANG_CONSOLE_SECRET"):
        create_app(Settings(mode="prod", database_url=POSTGRES))


def test_dev_falls_back_to_a_development_pepper() -> None:
    assert create_app(Settings(mode="dev", database_url="sqlite://")).title


@pytest.mark.parametrize("secret", [None, "short"])
def test_prod_refuses_a_missing_or_short_console_secret(secret: str | None) -> None:
    environ = {} if secret is None else {"JINGWANG_CONSOLE_SECRET": secret}
    with pytest.raises(ConsoleSecretError, match="JINGWANG_CONSOLE_SECRET"):
        console_secret(Settings(mode="prod", database_url=POSTGRES), environ)


def test_console_secret_in_dev_is_random_per_process() -> None:
    dev = Settings(mode="dev")
    assert console_secret(dev, {}) != console_secret(dev, {})
    strong = "s" * 32
    assert console_secret(dev, {"JINGWANG_CONSOLE_SECRET": strong}) == strong.encode()


def test_settings_repr_hides_urls_with_passwords() -> None:
    settings = Settings(
        mode="prod", database_url=POSTGRES, rate_limit_redis_url="redis://:redis-pw@cache/0"
    )
    shown = f"{settings!r} {settings}"
    assert "db-password" not in shown
    assert "redis-pw" not in shown


def test_settings_errors_do_not_echo_the_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    _prod(monkeypatch, DATABASE_URL="sqlite:////secret-path/db-password.db")
    with pytest.raises(SettingsError) as raised:
        load_settings()
    assert "db-password" not in str(raised.value)
