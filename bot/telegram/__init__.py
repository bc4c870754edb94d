"""Telegram channel: python-telegram-bot 22 around the channel-neutral dialog engine."""

from .app import WebhookOptions, build_application, run_telegram
from .channel import TelegramChannel

__all__ = ["TelegramChannel", "WebhookOptions", "build_application", "run_telegram"]
