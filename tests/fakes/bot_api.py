"""A fake Telegram Bot API server on 127.0.0.1, enough for python-telegram-bot 22 to run against.

The real `telegram.ext.Application` is pointed at it with `base_url`; nothing of PTB is mocked.
Tests inject what users do (texts, photos, button presses) as updates served by `getUpdates`
(long polling), and inspect every Bot API call the bot made. Standard library only, so the test
suite does not depend on a web framework.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote

TOKEN = "123456:TEST-token-for-the-fake-bot-api"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Assistant bailleurs",
    "username": "bailleur_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass
class Call:
    """One request the bot made: method name, form fields (raw strings), uploaded files."""

    method: str
    params: dict[str, str]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    at: float = 0.0
    result: Any = None
    chat: int | None = None

    @property
    def chat_id(self) -> int | None:
        """The chat concerned; for answerCallbackQuery, the chat of the pressed button."""
        value = self.params.get("chat_id")
        return int(value) if value is not None else self.chat

    def json(self, name: str) -> Any:
        """A field PTB JSON-encodes (reply_markup, commands…); None when absent."""
        value = self.params.get(name)
        return None if value is None else json.loads(value)

    @property
    def text(self) -> str:
        return self.params.get("text") or self.params.get("caption") or ""

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """(label, callback_data) of the inline keyboard, row by row."""
        markup = self.json("reply_markup") or {}
        return [
            (button["text"], button["callback_data"])
            for row in markup.get("inline_keyboard", [])
            for button in row
        ]


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


class FakeBotApi:
    """The server and its state. All public methods are thread-safe.

    Use as a context manager; `base_url` and `base_file_url` go to the bot's settings.
    """

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self._cond = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._forced: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._chat_types: dict[int, str] = {}
        self._callback_chats: dict[str, int] = {}
        self._failures: dict[str, list[ApiError]] = {}
        self._closing = False
        self.calls: list[Call] = []
        self.unknown_methods: list[str] = []
        self.webhook_url: str | None = None
        self._files: dict[str, bytes] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- lifecycle ----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def start(self) -> FakeBotApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- what users do ------------------------------------------------------------------------

    def user_text(self, chat_id: int, text: str, *, chat_type: str = "private") -> dict[str, Any]:
        """A user writes `text`; returns the update (its `update_id`, its message)."""
        return self._user_message(chat_id, chat_type, {"text": text})

    def user_photo(self, chat_id: int, *, chat_type: str = "private") -> dict[str, Any]:
        photo = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]
        return self._user_message(chat_id, chat_type, {"photo": photo})

    def user_document(
        self,
        chat_id: int,
        filename: str,
        content: bytes,
        *,
        mime_type: str = "text/csv",
        caption: str | None = None,
    ) -> dict[str, Any]:
        """The user sends a file; the bot gets it back with getFile and a download."""
        with self._cond:
            file_id = f"upload-{len(self._files) + 1}"
            self._files[file_id] = content
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": len(content),
        }
        extra = {"caption": caption} if caption else {}
        return self._user_message(chat_id, "private", {"document": document, **extra})

    def user_sticker(self, chat_id: int) -> dict[str, Any]:
        sticker = {
            "file_id": "sticker-1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self._user_message(chat_id, "private", {"sticker": sticker})

    def press(self, chat_id: int, message_id: int, data: str) -> dict[str, Any]:
        """The user presses a button carrying `data` under the bot's message `message_id`.

        `data` need not be one the bot sent: that is how tests forge callback data.
        """
        with self._cond:
            message = dict(self._messages[(chat_id, message_id)])
            query_id = f"cq{message_id}-{time.monotonic_ns()}"
            self._callback_chats[query_id] = chat_id
            update = {
                "update_id": next(self._update_ids),
                "callback_query": {
                    "id": query_id,
                    "from": self._user(chat_id),
                    "chat_instance": f"ci{chat_id}",
                    "message": message,
                    "data": data,
                },
            }
            self._push(update)
        return update

    def redeliver(self, update: dict[str, Any]) -> None:
        """Serve an update again, with the same update_id, as Telegram does after a timeout."""
        with self._cond:
            self._forced.append(update)
            self._cond.notify_all()

    def fail_next(self, method: str, code: int = 400, description: str = "Bad Request") -> None:
        """Make the next call of `method` fail with a Bot API error."""
        with self._cond:
            self._failures.setdefault(method, []).append(ApiError(code, description))

    # --- what tests inspect -------------------------------------------------------------------

    def calls_to(self, method: str, chat_id: int | None = None) -> list[Call]:
        with self._cond:
            return [
                c
                for c in self.calls
                if c.method == method and (chat_id is None or c.chat_id == chat_id)
            ]

    def calls_for(self, chat_id: int, since: int = 0) -> list[Call]:
        """Every call about `chat_id` from index `since` of `calls` on."""
        with self._cond:
            return [c for c in self.calls[since:] if c.chat_id == chat_id]

    def message(self, chat_id: int, message_id: int) -> dict[str, Any]:
        with self._cond:
            return dict(self._messages[(chat_id, message_id)])

    def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Block until `predicate()` holds (re-checked on every call), or fail after `timeout`."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("condition not met in time")
                self._cond.wait(min(remaining, 0.1))

    @property
    def pending_updates(self) -> int:
        with self._cond:
            return len(self._updates) + len(self._forced)

    # --- internals ----------------------------------------------------------------------------

    def _user(self, chat_id: int) -> dict[str, Any]:
        return {
            "id": abs(chat_id),
            "is_bot": False,
            "first_name": "Bailleur",
            "language_code": "fr",
        }

    def _chat(self, chat_id: int) -> dict[str, Any]:
        kind = self._chat_types.get(chat_id, "private")
        if kind == "private":
            return {"id": chat_id, "type": kind, "first_name": "Bailleur"}
        return {"id": chat_id, "type": kind, "title": "Groupe de test"}

    def _user_message(
        self, chat_id: int, chat_type: str, content: dict[str, Any]
    ) -> dict[str, Any]:
        with self._cond:
            self._chat_types[chat_id] = chat_type
            message = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": self._chat(chat_id),
                "from": self._user(chat_id),
                **content,
            }
            self._messages[(chat_id, message["message_id"])] = message
            update = {"update_id": next(self._update_ids), "message": message}
            self._push(update)
        return update

    def _push(self, update: dict[str, Any]) -> None:
        self._updates.append(update)
        self._cond.notify_all()

    def _bot_message(self, chat_id: int, params: dict[str, str], **content: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": BOT_USER,
            **content,
        }
        if "reply_markup" in params:
            message["reply_markup"] = json.loads(params["reply_markup"])
        self._messages[(chat_id, message["message_id"])] = message
        return message

    def _get_updates(self, params: dict[str, str]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", "0") or 0)
        limit = int(params.get("limit", "100") or 100)
        deadline = time.monotonic() + float(params.get("timeout", "0") or 0)
        with self._cond:
            while True:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                batch = self._forced + self._updates
                if batch or self._closing:
                    self._forced = []
                    return batch[:limit]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._cond.wait(remaining)

    def dispatch(self, method: str, params: dict[str, str], files: dict[str, Any]) -> Any:
        """Run one Bot API method; raises ApiError for a Bot API error answer."""
        if method == "getUpdates":
            # Not recorded: polling would flood the journal.
            return self._get_updates(params)
        with self._cond:
            chat = self._callback_chats.get(params.get("callback_query_id", ""))
            self.calls.append(Call(method, params, files, time.monotonic(), chat=chat))
            self._cond.notify_all()
            failures = self._failures.get(method)
            if failures:
                raise failures.pop(0)
            result = self._answer(method, params, files)
            self.calls[-1].result = result
            return result

    def _answer(self, method: str, params: dict[str, str], files: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"]) if "chat_id" in params else 0
        if method == "getMe":
            return BOT_USER
        if method in ("setMyCommands", "deleteWebhook", "sendChatAction", "answerCallbackQuery"):
            return True
        if method == "setWebhook":
            self.webhook_url = params.get("url")
            return True
        if method == "getMyCommands":
            return next(c for c in reversed(self.calls) if c.method == "setMyCommands").json(
                "commands"
            )
        if method == "sendMessage":
            return self._bot_message(chat_id, params, text=params["text"])
        if method == "getFile":
            file_id = params["file_id"]
            if file_id not in self._files:
                raise ApiError(400, "Bad Request: invalid file_id")
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(self._files[file_id]),
                "file_path": f"documents/{file_id}",
            }
        if method == "sendDocument":
            name, content = files.get("document", ("document", b""))
            document = {
                "file_id": f"doc-{len(self.calls)}",
                "file_unique_id": f"d{len(self.calls)}",
                "file_name": name,
                "mime_type": "application/pdf",
                "file_size": len(content),
            }
            extra = {"caption": params["caption"]} if "caption" in params else {}
            return self._bot_message(chat_id, params, document=document, **extra)
        if method == "sendPhoto":
            _name, content = files.get("photo", ("photo", b""))
            photo = [
                {
                    "file_id": f"photo-{len(self.calls)}",
                    "file_unique_id": f"p{len(self.calls)}",
                    "width": 0,
                    "height": 0,
                    "file_size": len(content),
                }
            ]
            extra = {"caption": params["caption"]} if "caption" in params else {}
            return self._bot_message(chat_id, params, photo=photo, **extra)
        if method in ("editMessageText", "editMessageReplyMarkup"):
            key = (chat_id, int(params["message_id"]))
            if key not in self._messages:
                raise ApiError(400, "Bad Request: message to edit not found")
            message = self._messages[key]
            if method == "editMessageText":
                message["text"] = params["text"]
            if "reply_markup" in params:
                message["reply_markup"] = json.loads(params["reply_markup"])
            else:
                message.pop("reply_markup", None)
            return message
        if method == "deleteMessage":
            key = (chat_id, int(params["message_id"]))
            if self._messages.pop(key, None) is None:
                raise ApiError(400, "Bad Request: message to delete not found")
            return True
        self.unknown_methods.append(method)
        raise ApiError(404, "Not Found: method not implemented by the fake")

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                self._serve()

            def do_GET(self) -> None:
                self._serve()

            def _serve(self) -> None:
                files_prefix = f"/file/bot{api.token}/documents/"
                if unquote(self.path).startswith(files_prefix):  # PTB quotes the token's ":"
                    self._file(unquote(self.path)[len(files_prefix) :])
                    return
                prefix = f"/bot{api.token}/"
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if len(body) < length:  # the bot died while sending: Telegram never got it
                    self.close_connection = True
                    return
                if not self.path.startswith(prefix):
                    self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                method = self.path[len(prefix) :].split("?", 1)[0]
                params, files = _parse_body(self.headers.get("Content-Type", ""), body)
                try:
                    result = api.dispatch(method, params, files)
                except ApiError as error:
                    payload = {
                        "ok": False,
                        "error_code": error.code,
                        "description": error.description,
                    }
                    self._reply(error.code, payload)
                    return
                self._reply(200, {"ok": True, "result": result})

            def _file(self, file_id: str) -> None:
                """A file download, as `getFile`'s path gives it."""
                with api._cond:
                    content = api._files.get(file_id)
                if content is None:
                    self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            def _reply(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except ConnectionError:
                    # The bot shut down while a long poll was pending: nobody to answer.
                    self.close_connection = True

            def log_message(self, format: str, *args: Any) -> None:
                """Silent: the URL holds the token, and tests read calls, not logs."""

        return Handler


def _parse_body(
    content_type: str, body: bytes
) -> tuple[dict[str, str], dict[str, tuple[str, bytes]]]:
    """Form fields and files of a urlencoded or multipart/form-data body."""
    if content_type.startswith("multipart/form-data"):
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        parsed = BytesParser(policy=HTTP).parsebytes(head + body)
        params: dict[str, str] = {}
        files: dict[str, tuple[str, bytes]] = {}
        for part in parsed.iter_parts():
            name = part.get_param("name", header="content-disposition")
            raw = part.get_payload(decode=True)
            payload = raw if isinstance(raw, bytes) else b""
            filename = part.get_filename()
            if not isinstance(name, str):
                continue
            if filename is not None:
                files[name] = (filename, payload)
            else:
                params[name] = payload.decode()
        return params, files
    if body:
        return dict(parse_qsl(body.decode(), keep_blank_values=True)), {}
    return {}, {}
