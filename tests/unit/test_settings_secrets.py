"""Secrets by default: nothing published or weak signs anything, anywhere (ADR 0023)."""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from heedful.adapters.generated_secrets import FILE_NAME, data_dir_for
from heedful.bootstrap import with_secrets
from heedful.config import Settings, weak_secret

GOOD = secrets.token_urlsafe(32)


def production(**values: str) -> Settings:
    settings: dict[str, Any] = {"secret_key": GOOD, "webhook_secret": GOOD, **values}
    return Settings(environment="production", **settings)


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        ("secret_key", "", "HEEDFUL_SECRET_KEY is not set"),
        (
            "secret_key",
            "change-me-development-only",
            "HEEDFUL_SECRET_KEY is a published placeholder",
        ),
        ("secret_key", "x", "HEEDFUL_SECRET_KEY is too short"),
        ("secret_key", "a" * 200, "HEEDFUL_SECRET_KEY is too short or too plain"),
        ("secret_key", secrets.token_hex(16), "HEEDFUL_SECRET_KEY is too short"),
        ("webhook_secret", "", "HEEDFUL_WEBHOOK_SECRET is not set"),
        ("webhook_secret", "change-me-development-only", "HEEDFUL_WEBHOOK_SECRET is a published"),
        ("metrics_token", "hunter2", "HEEDFUL_METRICS_TOKEN is too short"),
    ],
)
def test_outside_development_heedful_refuses_to_start_naming_the_weak_secret(
    variable: str, value: str, complaint: str
) -> None:
    with pytest.raises(ValidationError, match=complaint):
        production(**{variable: value})


def test_real_random_secrets_are_accepted_in_hex_and_base64() -> None:
    assert weak_secret(secrets.token_urlsafe(32)) == ""
    assert weak_secret(secrets.token_hex(32)) == ""
    settings = production(metrics_token=secrets.token_hex(32))
    assert settings.cookies_secure
    assert not settings.metrics_public
    assert not settings.docs_public


def test_even_in_development_a_published_placeholder_given_on_purpose_is_refused() -> None:
    with pytest.raises(ValidationError, match="published placeholder"):
        Settings(secret_key="change-me-development-only")


def test_development_generates_secrets_once_keeps_them_private_and_reuses_them(
    tmp_path: Path,
) -> None:
    first = with_secrets(Settings(data_dir=str(tmp_path)))
    again = with_secrets(Settings(data_dir=str(tmp_path)))
    kept = tmp_path / FILE_NAME

    assert len(first.secret_key) >= 43
    assert first.secret_key != first.webhook_secret
    assert weak_secret(first.secret_key) == ""
    assert (again.secret_key, again.webhook_secret) == (first.secret_key, first.webhook_secret)
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert not first.cookies_secure  # development is served over plain http on loopback


def test_a_secret_set_by_the_operator_is_used_and_nothing_is_generated(tmp_path: Path) -> None:
    settings = with_secrets(Settings(data_dir=str(tmp_path), secret_key=GOOD, webhook_secret=GOOD))
    assert settings.secret_key == GOOD
    assert not (tmp_path / FILE_NAME).exists()


def test_generated_secrets_live_beside_the_sqlite_file_unless_a_data_dir_is_set(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'shop' / 'heedful.db'}"
    assert data_dir_for("", url) == tmp_path / "shop"
    assert data_dir_for(str(tmp_path / "data"), url) == tmp_path / "data"
    assert data_dir_for("", "postgresql+psycopg://db/heedful") == Path.cwd()


def test_the_cli_refuses_to_start_in_production_naming_the_missing_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from click.testing import CliRunner

    from heedful.entrypoints.cli.main import cli

    monkeypatch.setenv("HEEDFUL_ENVIRONMENT", "production")
    monkeypatch.delenv("HEEDFUL_SECRET_KEY", raising=False)
    refused = CliRunner().invoke(cli, ["token", "list"])

    assert refused.exit_code == 2
    assert "error: HEEDFUL_SECRET_KEY is not set" in refused.output
    assert "Traceback" not in refused.output
