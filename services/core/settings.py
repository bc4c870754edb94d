"""Configuration read once from the environment, validated by pydantic at the boundary."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "bailleur-bot"


class Settings(BaseSettings):
    """Every setting of the product; README's configuration table lists the same names."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default_factory=_default_data_dir, alias="BAILLEUR_DATA_DIR")
    database_url: str = Field(default="", alias="DATABASE_URL")
    session_minutes: int = Field(default=30, ge=1, le=24 * 60, alias="BAILLEUR_SESSION_MINUTES")
    today: str = Field(default="", alias="BAILLEUR_TODAY")
    telegram_bot_token: str = Field(default="", alias="TELEGRAM_BOT_TOKEN")
    telegram_base_url: str = Field(
        default="https://api.telegram.org/bot", alias="TELEGRAM_BASE_URL"
    )
    telegram_base_file_url: str = Field(
        default="https://api.telegram.org/file/bot", alias="TELEGRAM_BASE_FILE_URL"
    )
    telegram_webhook_secret: str = Field(default="", alias="TELEGRAM_WEBHOOK_SECRET")
    nlu_model: Path | None = Field(default=None, alias="BAILLEUR_NLU_MODEL")
    log_level: str = Field(default="INFO", alias="BAILLEUR_LOG_LEVEL")
    outbox_key: str = Field(default="", alias="BAILLEUR_OUTBOX_KEY", repr=False)

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def effective_database_url(self) -> str:
        """The configured URL, or a SQLite file inside the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'bailleur-bot.db'}"

    @property
    def receipts_dir(self) -> Path:
        return self.data_dir / "receipts"

    @property
    def nlu_model_path(self) -> Path:
        return self.nlu_model or self.data_dir / "nlu-model.pkl"
