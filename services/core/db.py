"""Database engine and the unit of work, with every wait bounded.

A unit of work is one transaction. Entering it again while it is open (a service called inside a
dialog turn) opens a SAVEPOINT when the block first writes (reads need none), so a service's own commit or rollback is nested in the turn's
transaction and the turn's conversation state is written in the same transaction as its business
facts. A unit of work also hands the services the password hasher and the outbox sealer the
composition root chose, so no service builds one itself. On SQLite the outer transaction starts with BEGIN IMMEDIATE: a turn holds the write lock
from its first read, which serialises turns without deadlocks between workers.

Waits are bounded so that a database that stops answering costs the user a few seconds, never a
hung chat: PostgreSQL gets a connect timeout, TCP keepalives, statement, lock and idle-in-transaction
timeouts; SQLite a busy timeout. A server that accepts bytes but never answers defeats all of
these, so a watchdog also cuts the connection of a transaction that outlives its deadline; the
turn then fails and nothing of it is committed. The watchdog times each call to the database
(a statement, a commit), not the transaction, so long batches are not cut while they progress. `database_fault` tells the engine which failures
are worth running the turn again (lock wait, serialisation failure, deadlock) and which mean the
database is unavailable.
"""

from __future__ import annotations

import contextlib
import enum
import os
import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol, Self

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker

from services.core.memo import forget

UowFactory = Callable[[], "UnitOfWork"]

CONNECT_TIMEOUT_S = 3
STATEMENT_TIMEOUT_MS = 4000
LOCK_TIMEOUT_MS = 2000
# A turn's transaction may think for seconds between statements (argon2 on a busy machine).
IDLE_IN_TRANSACTION_MS = 30_000
CALL_DEADLINE_S = 5.0
SQLITE_BUSY_TIMEOUT_S = 4.0
_RETRY_STATES = frozenset({"40001", "40P01", "55P03"})  # serialisation, deadlock, lock timeout


class DatabaseFault(enum.Enum):
    """What a failed turn's database error means to the user."""

    CONFLICT = "conflict"  # another turn held what this one needed: run it again
    LOST = "lost"  # the connection broke: a stale pooled one is replaced at once
    UNAVAILABLE = "unavailable"  # unreachable, too slow, or cut by the watchdog

    def worth_retrying(self, elapsed: float) -> bool:
        """Whether running the turn again may succeed: after a conflict, or a connection lost
        quickly (a stale pooled one); a slow loss means the server is not answering."""
        return self is DatabaseFault.CONFLICT or (self is DatabaseFault.LOST and elapsed < 1.0)


def database_fault(error: BaseException) -> DatabaseFault | None:
    """The fault behind an exception raised during a turn, or None when it is not the database's."""
    if isinstance(error, sa_exc.DBAPIError):
        state = getattr(error.orig, "sqlstate", None)
        if state in _RETRY_STATES:
            return DatabaseFault.CONFLICT
        if error.connection_invalidated:
            return DatabaseFault.LOST
        if isinstance(error, sa_exc.OperationalError):
            return DatabaseFault.UNAVAILABLE
        return None
    if isinstance(error, sa_exc.TimeoutError | sa_exc.DisconnectionError):
        return DatabaseFault.UNAVAILABLE
    return None


class PasswordHashing(Protocol):
    """What the services ask of a password hasher (`services.accounts.passwords` has one)."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str | None, password: str) -> bool: ...


class Sealing(Protocol):
    """What the services ask of the outbox sealer (`services.core.sealing` has one)."""

    def seal(self, text: str) -> str: ...

    def open(self, token: str) -> str: ...


class Watchdog:
    """One thread that cuts the connection of a call past its deadline.

    Cutting means shutting the socket down (PostgreSQL) or interrupting the statement (SQLite):
    the blocked call then fails in its own thread, which rolls back. Arming costs a statement
    one dictionary store (no lock, no thread woken: a turn runs a dozen statements); the thread
    looks at the armed deadlines every `POLL_S` while any is armed and sleeps otherwise, so a
    call is cut at most `POLL_S` after its deadline. A connection has at most one deadline:
    arming it again replaces the previous one.
    """

    POLL_S = 0.2

    def __init__(self) -> None:
        # id of the connection -> (deadline, connection); plain dict operations are atomic.
        self._armed: dict[int, tuple[float, Any]] = {}
        self._wake = threading.Event()
        self._start = threading.Lock()
        self._thread: threading.Thread | None = None
        # A forked worker has no watchdog thread: it starts its own on its first call.
        os.register_at_fork(after_in_child=self._forget_thread)

    def _forget_thread(self) -> None:
        self._armed = {}
        self._wake = threading.Event()
        self._start = threading.Lock()
        self._thread = None

    def arm(self, dbapi_connection: Any, seconds: float) -> None:
        self._armed[id(dbapi_connection)] = (time.monotonic() + seconds, dbapi_connection)
        if not self._wake.is_set():
            self._wake.set()
        if self._thread is None:
            self._start_thread()

    def disarm(self, dbapi_connection: Any) -> None:
        self._armed.pop(id(dbapi_connection), None)

    def _start_thread(self) -> None:
        with self._start:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="db-watchdog", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            time.sleep(self.POLL_S)
            now = time.monotonic()
            for key in list(self._armed):
                entry = self._armed.get(key)
                if entry is None or entry[0] > now:
                    continue
                taken = self._armed.pop(key, None)
                if taken is entry:
                    cut(entry[1])
                elif taken is not None:  # armed again meanwhile: that deadline stays
                    self._armed.setdefault(key, taken)
            if not self._armed:
                self._wake.clear()
                if self._armed:  # armed between the look and the clear
                    self._wake.set()


def cut(dbapi_connection: Any) -> None:
    """Make whatever this connection is blocked on fail now."""
    pgconn = getattr(dbapi_connection, "pgconn", None)
    if pgconn is not None:
        try:
            with socket.fromfd(pgconn.socket, socket.AF_INET, socket.SOCK_STREAM) as sock:
                sock.shutdown(socket.SHUT_RDWR)
        except Exception:  # already closed: nothing left to cut
            return
        return
    interrupt = getattr(dbapi_connection, "interrupt", None)
    if interrupt is not None:
        with contextlib.suppress(Exception):  # a closed connection has nothing to interrupt
            interrupt()


WATCHDOG = Watchdog()


def _postgres_arguments(url: str) -> dict[str, Any]:
    """libpq parameters; options already in the URL (a search_path, say) are kept."""
    given = make_url(url).query.get("options", "")
    options = (f"{given} " if isinstance(given, str) and given else "") + (
        f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={LOCK_TIMEOUT_MS}"
        f" -c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"
    )
    return {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "keepalives": 1,
        "keepalives_idle": 10,
        "keepalives_interval": 3,
        "keepalives_count": 3,
        "tcp_user_timeout": int(CALL_DEADLINE_S * 1000),
        "options": options,
    }


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets real transactions (BEGIN IMMEDIATE) and foreign keys."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

    else:
        engine = create_engine(
            url, pool_timeout=CONNECT_TIMEOUT_S, connect_args=_postgres_arguments(url)
        )
    _watch_calls(engine)
    return engine


def _watch_calls(engine: Engine) -> None:
    """Arm the watchdog around every statement and commit of this engine's connections."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn: Any, *_args: Any) -> None:
        WATCHDOG.arm(conn.connection.dbapi_connection, CALL_DEADLINE_S)

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn: Any, *_args: Any) -> None:
        WATCHDOG.disarm(conn.connection.dbapi_connection)

    @event.listens_for(engine, "handle_error")
    def _failed(context: Any) -> None:
        if context.connection is not None and not context.connection.invalidated:
            WATCHDOG.disarm(context.connection.connection.dbapi_connection)


class _Level:
    """One `with uow:` block. A nested block's SAVEPOINT is opened only when the block first
    writes (a flush or an INSERT/UPDATE/DELETE): a read-only service call costs no statement."""

    __slots__ = ("committed", "nested", "savepoint")

    def __init__(self, *, nested: bool) -> None:
        self.nested = nested
        self.savepoint: SessionTransaction | None = None
        self.committed = False


def _open_savepoints(session: Session) -> None:
    uow = session.info.get("uow")
    if isinstance(uow, UnitOfWork):
        uow._open_savepoints()


# Execution option of a write that is one statement applied whole or not at all (an upsert)
# and the only write of its block: a failure leaves nothing to take back, so no SAVEPOINT is
# opened for it. A write made before it in the block has opened one already, which it joins.
ATOMIC_WRITE = "atomic_write"


def _before_write(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        forget(state.session)
        if not state.execution_options.get(ATOMIC_WRITE):
            _open_savepoints(state.session)


def _before_flush(session: Session, _context: Any, _objects: Any) -> None:
    forget(session)
    _open_savepoints(session)


def _keep_loaded(session: Session, instance: object) -> None:
    """The identity map holds objects weakly: kept here, an object read by one service call of a
    turn is not read again by the next (the user, their organisation, the tenant)."""
    session.info.setdefault("loaded", []).append(instance)


class UnitOfWork:
    """One transaction; rolls back unless `commit()` was called before leaving the block."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        passwords: PasswordHashing | None = None,
        sealer: Sealing | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._passwords = passwords
        self._sealer = sealer
        self._session: Session | None = None
        self._stack: list[_Level] = []

    @property
    def passwords(self) -> PasswordHashing:
        """The hasher the composition root chose; a factory made without one refuses to hash."""
        if self._passwords is None:
            raise RuntimeError("this unit of work was made without a password hasher")
        return self._passwords

    @property
    def sealer(self) -> Sealing:
        """The outbox sealer the composition root chose (its key lives outside the database)."""
        if self._sealer is None:
            raise RuntimeError("this unit of work was made without an outbox sealer")
        return self._sealer

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("unit of work used outside a `with` block")
        return self._session

    def __enter__(self) -> Self:
        if self._session is None:
            self._session = self._session_factory()
            self._session.info["uow"] = self
            self._stack.append(_Level(nested=False))
            return self
        level = _Level(nested=True)
        self._stack.append(level)
        session = self._session
        if session.new or session.deleted or session.dirty:
            # Unflushed changes of the enclosing block stay outside this block's savepoint.
            self._open_savepoints()
        return self

    def _open_savepoints(self) -> None:
        session = self.session
        for level in self._stack:
            if level.nested and level.savepoint is None:
                level.savepoint = session.begin_nested()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        level = self._stack.pop()
        session = self.session
        if not level.nested:
            try:
                if not level.committed:
                    session.rollback()
            finally:
                forget(session)
                session.close()
                self._session = None
            return
        if level.committed:
            return
        if level.savepoint is not None:
            forget(session)
            # Also after a failed flush (a lost race on a unique key): the savepoint must be
            # rolled back for the turn's transaction to go on.
            if session.get_nested_transaction() is level.savepoint:
                level.savepoint.rollback()
            return
        # Nothing reached the database: only changes made in memory are undone.
        if session.new or session.deleted or session.dirty:
            forget(session)
        for obj in [*session.new, *session.deleted]:
            session.expunge(obj)
        for obj in list(session.dirty):
            session.expire(obj)

    def commit(self) -> None:
        """Commit the innermost open block: the transaction, or the savepoint inside a turn."""
        level = self._stack[-1]
        if not level.nested:
            self._commit_watched()
        else:
            self.session.flush()
            if level.savepoint is not None:
                level.savepoint.commit()
        level.committed = True

    def _commit_watched(self) -> None:
        """Commit, with the watchdog armed: a server that never answers the COMMIT cannot hold
        the turn (its outcome is then unknown to us; the server rolls back a cut connection)."""
        session = self.session
        if not session.in_transaction():
            session.commit()
            return
        dbapi_connection = session.connection().connection.dbapi_connection
        WATCHDOG.arm(dbapi_connection, CALL_DEADLINE_S)
        try:
            session.commit()
        finally:
            WATCHDOG.disarm(dbapi_connection)

    def flush(self) -> None:
        self.session.flush()


class DatabaseUowFactory:
    """Makes units of work on one database; nothing connects until first use."""

    def __init__(
        self, url: str, *, passwords: PasswordHashing | None = None, sealer: Sealing | None = None
    ) -> None:
        self.engine = make_engine(url)
        self.passwords = passwords
        self.sealer = sealer
        self._sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", _before_flush)
        event.listen(self._sessions, "do_orm_execute", _before_write)
        event.listen(self._sessions, "loaded_as_persistent", _keep_loaded)

    def __call__(self) -> UnitOfWork:
        return UnitOfWork(self._sessions, passwords=self.passwords, sealer=self.sealer)

    def dispose(self) -> None:
        """Close pooled connections (at shutdown, and between tests)."""
        self.engine.dispose()


def make_uow_factory(
    url: str, *, passwords: PasswordHashing | None = None, sealer: Sealing | None = None
) -> DatabaseUowFactory:
    """Units of work on `url`; those that hash passwords need `passwords` (the composition root
    gives the production hasher, tests a cheap one), those that write letters need `sealer`."""
    return DatabaseUowFactory(url, passwords=passwords, sealer=sealer)


def database_answers(factory: UowFactory) -> bool:
    """Whether the database answers a trivial query now (a health check; bounded by the
    timeouts above)."""
    try:
        uow = factory()
        with uow:
            uow.session.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
