"""Database engine and the unit of work.

A unit of work is one transaction. Entering it again while it is open (a service called inside a
dialog turn) opens a SAVEPOINT when the block first writes (reads need none), so a service's own commit or rollback is nested in the turn's
transaction and the turn's conversation state is written in the same transaction as its business
facts. A unit of work also hands the services the password hasher and the outbox sealer the
composition root chose, so no service builds one itself. On SQLite the outer transaction starts with BEGIN IMMEDIATE: a turn holds the write lock
from its first read, which serialises turns without deadlocks between workers.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, Protocol, Self

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction, sessionmaker

UowFactory = Callable[[], "UnitOfWork"]


class PasswordHashing(Protocol):
    """What the services ask of a password hasher (`services.accounts.passwords` has one)."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str | None, password: str) -> bool: ...


class Sealing(Protocol):
    """What the services ask of the outbox sealer (`services.accounts.sealing` has one)."""

    def seal(self, text: str) -> str: ...

    def open(self, token: str) -> str: ...


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets real transactions (BEGIN IMMEDIATE) and foreign keys."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

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

        return engine
    return create_engine(url, pool_pre_ping=True)


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


def _before_write(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _open_savepoints(state.session)


def _before_flush(session: Session, _context: Any, _objects: Any) -> None:
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
                session.close()
                self._session = None
            return
        if level.committed:
            return
        if level.savepoint is not None:
            # Also after a failed flush (a lost race on a unique key): the savepoint must be
            # rolled back for the turn's transaction to go on.
            if session.get_nested_transaction() is level.savepoint:
                level.savepoint.rollback()
            return
        # Nothing reached the database: only changes made in memory are undone.
        for obj in [*session.new, *session.deleted]:
            session.expunge(obj)
        for obj in list(session.dirty):
            session.expire(obj)

    def commit(self) -> None:
        """Commit the innermost open block: the transaction, or the savepoint inside a turn."""
        level = self._stack[-1]
        if not level.nested:
            self.session.commit()
        else:
            self.session.flush()
            if level.savepoint is not None:
                level.savepoint.commit()
        level.committed = True

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
