"""The `bailleur-bot` command: database set-up, demo data, and the channels."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from dialogs.texts import text
from services.core.settings import Settings

if TYPE_CHECKING:
    from bot.bootstrap import App


def _readline_history(data_dir: Path) -> Callable[[], None]:
    """Line editing and a history file for the terminal chat, where the platform has readline;
    returns what forgets the last line typed (a password typed in clear)."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return lambda: None
    history = data_dir / "chat-history"
    with contextlib.suppress(OSError):
        readline.read_history_file(history)
    readline.set_history_length(500)
    import atexit

    atexit.register(lambda: _save_history(readline, history))

    def forget_last_line() -> None:
        length = readline.get_current_history_length()
        if length:
            readline.remove_history_item(length - 1)

    return forget_last_line


def _save_history(readline_module: object, history: Path) -> None:
    with contextlib.suppress(OSError):
        readline_module.write_history_file(str(history))  # type: ignore[attr-defined]


def _chat(settings: Settings, chat_id: str | None, app: App | None = None) -> int:
    from bot.bootstrap import build_app
    from bot.console import Console

    app = app or build_app(settings)
    forget = _readline_history(settings.data_dir)
    console = Console(
        app.engine.handle,
        chat_id=chat_id or getpass.getuser(),
        receipts_dir=settings.receipts_dir,
        forget_last_line=forget,
    )
    console.run()
    return 0


def _telegram(settings: Settings, args: argparse.Namespace, app: App | None = None) -> int:
    from bot.bootstrap import build_app
    from bot.telegram import WebhookOptions, run_telegram

    if not settings.telegram_bot_token:
        print(text("utter_cli_no_token"), file=sys.stderr)
        return 2
    webhook = None
    if args.webhook:
        webhook = WebhookOptions(
            listen=args.listen,
            port=args.port,
            url=args.url,
            secret=settings.telegram_webhook_secret,
        )
        if args.workers > 0:
            from bot.telegram.supervisor import supervise

            return supervise(
                settings,
                webhook,
                workers=args.workers,
                load=lambda: build_app(settings).preloaded(),
            )
    app = app or build_app(settings)
    run_telegram(app, webhook=webhook)
    return 0


def _run(settings: Settings, args: argparse.Namespace) -> int:
    """Prepare what is missing, saying so in French on a first run, then start the channel."""
    first_run = not settings.nlu_model_path.exists()
    if first_run:
        print(text("utter_cli_first_run"), flush=True)
        print(text("utter_cli_step_model"), flush=True)
    from bot.bootstrap import build_app

    app = build_app(settings)
    if first_run:
        print(text("utter_cli_step_database"), flush=True)
    app.migrate()
    if first_run:
        print(text("utter_cli_step_demo"), flush=True)
    app.load_demo()
    if first_run:
        print(text("utter_cli_ready"), flush=True)
    if settings.telegram_bot_token:
        return _telegram(settings, args, app)
    return _chat(settings, args.chat_id, app)


# Libraries whose own logs quote what users typed or stored (SQL parameters, whole updates,
# request URLs holding the bot token): at most their warnings, whatever BAILLEUR_LOG_LEVEL says.
QUOTING_LOGGERS = (
    "sqlalchemy",
    "telegram",
    "httpx",
    "httpcore",
    "tornado.access",
    "alembic",
    "rasa_sdk",
    "asyncio",
)


def configure_logging(level: str) -> None:
    """Our own logs at `level` (they never carry user data); the libraries' at WARNING."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    for name in QUOTING_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _remind(settings: Settings) -> int:
    """Send the reminders due this week on Telegram; without a token, print what would be sent
    (nothing is recorded then)."""
    import asyncio

    from bot.bootstrap import build_reminders

    reminders = build_reminders(settings)
    if not settings.telegram_bot_token:
        due = [*reminders.due("telegram"), *reminders.due("console")]
        for reminder in due:
            print(text("utter_cli_remind_preview", chat=f"{reminder.channel}:{reminder.chat_id}"))
            for message in reminders.preview(reminder).messages:
                print(f"🤖 {message.text}")
                for number, choice in enumerate(message.choices, start=1):
                    print(f"   {number}. {choice.label}")
        if not due:
            print(text("utter_cli_remind_none"))
        return 0
    from telegram import Bot

    from bot.telegram.reminders import send_reminders

    async def run() -> object:
        bot = Bot(
            settings.telegram_bot_token,
            base_url=settings.telegram_base_url,
            base_file_url=settings.telegram_base_file_url,
        )
        async with bot:
            return await send_reminders(bot, reminders)

    outcome = asyncio.run(run())
    print(text("utter_cli_remind_sent", sent=outcome.sent, skipped=outcome.skipped))  # type: ignore[attr-defined]
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bailleur-bot", description=text("utter_cli_description"))
    sub = parser.add_subparsers(dest="command", required=True)
    db = sub.add_parser("db", help="database schema")
    db.add_argument("action", choices=["upgrade"])
    seed = sub.add_parser("seed", help="load data")
    kind = seed.add_mutually_exclusive_group(required=True)
    kind.add_argument("--demo", action="store_true")
    kind.add_argument("--large", action="store_true", help="an organisation of many tenants")
    seed.add_argument("--tenants", type=int, default=2_000, help="with --large")
    chat = sub.add_parser("chat", help="terminal chat")
    chat.add_argument("--chat-id", default=None)
    run = sub.add_parser("run", help="set up the demo database, then Telegram if a token is set")
    run.add_argument("--chat-id", default=None)
    telegram = sub.add_parser("telegram", help="Telegram bot (polling, or webhook)")
    for sp in (telegram, run):
        sp.add_argument("--webhook", action="store_true")
        sp.add_argument("--listen", default="127.0.0.1")
        sp.add_argument("--port", type=int, default=8443)
        sp.add_argument("--url", default="")
        sp.add_argument("--workers", type=int, default=0, help="webhook worker processes")
    sub.add_parser("train", help="train the NLU model")
    sub.add_parser("remind", help="send the weekly rent reminders due (for a system scheduler)")
    actions = sub.add_parser("actions", help="rasa-sdk action server for a Rasa assistant")
    actions.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to listen on every interface")
    actions.add_argument("--port", type=int, default=5055)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings()
    configure_logging(settings.log_level)
    if args.command == "db":
        from services.core.schema import upgrade

        settings.data_dir.mkdir(parents=True, exist_ok=True)
        upgrade(settings.effective_database_url)
        print(text("utter_cli_database_ready"))
        return 0
    if args.command == "seed":
        from bot.bootstrap import build_app

        if args.large:
            from services.demo.large import seed_large

            app = build_app(settings)
            app.migrate()
            large = seed_large(app.uow_factory(), today=app.today(), tenants=args.tenants)
            print(
                text(
                    "utter_cli_large_loaded",
                    name=large.name,
                    tenants=large.tenants,
                    login=large.login,
                    password=large.password,
                )
            )
            return 0
        report = build_app(settings).prepare_demo()
        created, skipped = list(report.created), list(report.skipped)
        print(text("utter_cli_demo_loaded", created=created, skipped=skipped))
        return 0
    if args.command == "train":
        from dialogs.nlu import NluModel
        from dialogs.nlu.lazy import save_key

        model = NluModel.train()
        model.save(settings.nlu_model_path)
        # Its key too: without it every start writes one beside the model (the Docker image's
        # model folder is read-only to the bot: PermissionError, the container never started).
        save_key(settings.nlu_model_path, model)
        print(text("utter_cli_model_saved", path=settings.nlu_model_path))
        return 0
    if args.command == "actions":
        from bot.action_server import run_action_server
        from bot.bootstrap import build_app

        run_action_server(build_app(settings), host=args.host, port=args.port)
        return 0
    if args.command == "chat":
        return _chat(settings, args.chat_id)
    if args.command == "remind":
        return _remind(settings)
    if args.command == "telegram":
        return _telegram(settings, args)
    if args.command == "run":
        return _run(settings, args)
    return 2


if __name__ == "__main__":
    sys.exit(main())
