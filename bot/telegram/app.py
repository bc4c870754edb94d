"""Build and run the python-telegram-bot `Application` around the dialog engine.

`build_application` is what tests drive (against a fake Bot API); `run_telegram` is what the CLI
calls, in polling mode by default or as a webhook when the bot sits behind a public HTTPS URL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from telegram import Bot, BotCommand, Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from dialogs.texts import text

from .channel import Engine, TelegramChannel
from .processor import PerChatUpdateProcessor
from .reminders import ReminderSender, schedule_reminders

_LOG = logging.getLogger(__name__)

# The menu Telegram shows next to the input field. /help and /cancel work too (the engine maps
# them) but are not listed, to keep the menu French and short.
COMMANDS = ("start", "aide", "menu", "rappels", "annuler", "deconnexion")
ALLOWED_UPDATES = (Update.MESSAGE, Update.CALLBACK_QUERY)


class TelegramSettings(Protocol):
    """The settings this channel reads (see `services.core.settings.Settings`)."""

    @property
    def telegram_bot_token(self) -> str: ...
    @property
    def telegram_base_url(self) -> str: ...
    @property
    def telegram_base_file_url(self) -> str: ...
    @property
    def telegram_webhook_secret(self) -> str: ...


class TelegramApp(Protocol):
    """The part of `bot.bootstrap.App` the channel uses."""

    @property
    def engine(self) -> Engine: ...
    @property
    def settings(self) -> TelegramSettings: ...


@dataclass(frozen=True)
class WebhookOptions:
    """Where Telegram pushes updates: the local address to listen on and the public HTTPS URL.

    `secret` (default: `TELEGRAM_WEBHOOK_SECRET`) is the token Telegram sends in a header with
    every update; PTB rejects any request without it, so nobody else can inject updates.
    """

    listen: str = "127.0.0.1"
    port: int = 8443
    url: str = ""
    secret: str = ""
    url_path: str = "telegram"


async def publish_commands(application: Application) -> None:
    """Set the French command menu at start-up (setMyCommands is idempotent)."""
    await publish_commands_with(application.bot)


async def publish_commands_with(bot: Bot) -> None:
    """The French command menu, set through `bot` (the webhook supervisor has no application)."""
    await bot.set_my_commands(
        [BotCommand(name, text(f"utter_telegram_command_{name}")) for name in COMMANDS]
    )


def build_application(
    engine: Engine,
    settings: TelegramSettings,
    *,
    on_update_done: Callable[[int], None] | None = None,
    typing_after: float = 0.5,
    min_interval: float = 0.05,
    reminders: ReminderSender | None = None,
    reminder_hour: int = 10,
) -> Application:
    """A ready-to-start application: handlers, per-chat ordering, rate limiting, command menu,
    and the daily job of the weekly reminders when `reminders` is given."""
    if not settings.telegram_bot_token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    application: Application[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(PerChatUpdateProcessor(on_done=on_update_done))
        .post_init(publish_commands)
        .build()
    )
    TelegramChannel(engine, typing_after=typing_after, min_interval=min_interval).register(
        application
    )
    if reminders is not None:
        schedule_reminders(application, reminders, hour=reminder_hour)
    return application


def quiet_transport_logs() -> None:
    """httpx logs every request URL, which contains the bot token; PTB's debug logs print whole
    updates, user texts included. Neither may reach the logs."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    logging.getLogger("telegram").setLevel(max(logging.INFO, logging.getLogger().level))


def webhook_arguments(options: WebhookOptions, secret: str) -> dict[str, Any]:
    """Arguments of `Application.run_webhook` / `Updater.start_webhook` for these options."""
    if not secret:
        raise ValueError("TELEGRAM_WEBHOOK_SECRET is required in webhook mode")
    if not options.url.startswith("https://"):
        raise ValueError("the webhook URL must be a public https:// URL")
    path = options.url_path.strip("/")
    return {
        "listen": options.listen,
        "port": options.port,
        "url_path": path,
        "webhook_url": f"{options.url.rstrip('/')}/{path}",
        "secret_token": secret,
        "allowed_updates": list(ALLOWED_UPDATES),
    }


def run_telegram(app: TelegramApp, *, webhook: WebhookOptions | None) -> None:
    """Run the bot until SIGINT/SIGTERM: long polling, or a webhook server when options given."""
    quiet_transport_logs()
    settings = app.settings
    reminders = getattr(app, "reminders", None)
    application = build_application(
        app.engine, settings, reminders=reminders, reminder_hour=getattr(app, "reminder_hour", 10)
    )
    if webhook is None:
        _LOG.info("Telegram bot starting (polling)")
        application.run_polling(allowed_updates=list(ALLOWED_UPDATES))
    else:
        secret = webhook.secret or settings.telegram_webhook_secret
        arguments = webhook_arguments(webhook, secret)
        _LOG.info("Telegram bot starting (webhook on %s:%s)", webhook.listen, webhook.port)
        application.run_webhook(**arguments)
