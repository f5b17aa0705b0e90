"""Stored files that follow the database transaction that wrote them.

A file is written to storage while the transaction that saves its row is still open; if that
transaction (or a savepoint around the write) is rolled back, the row disappears and the file
must go too. Django calls hooks on commit (`on_commit`) but has none for a rollback, so the
first file written on a connection wraps that connection's `commit`, `rollback`,
`savepoint_rollback` and `close`:

- `commit` forgets the files written in the transaction: they are kept;
- `rollback` (the outermost `atomic` block failing, or `transaction.rollback()`) and `close`
  inside a transaction (the database drops it) delete every file written since;
- `savepoint_rollback(sid)` (an inner `atomic` block failing) deletes the files written while
  that savepoint was open, as Django drops the `on_commit` hooks registered under it.

Files are written only inside `transaction.atomic` (`ensure_atomic` refuses otherwise), so
every file belongs to exactly one transaction. A file deleted here is logged when its deletion
fails; a crash of the process between the write and the commit still leaves its file behind.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import Storage
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)

_ATTRIBUTE = "_vigil_pending_files"


@dataclass(frozen=True)
class _Pending:
    storage: Storage
    name: str
    savepoints: frozenset[str | None]  # the savepoints open when the file was written


def ensure_atomic(using: str) -> None:
    """Refuse to go on outside `transaction.atomic`: a file written there would belong to
    no transaction. Called before the file is written."""
    if not transaction.get_connection(using).in_atomic_block:
        raise transaction.TransactionManagementError(
            "Stored files are written inside transaction.atomic, with the row that names them."
        )


def track(storage: Storage, name: str, *, using: str) -> None:
    """Delete `storage`'s file `name` if the transaction open on `using` is rolled back."""
    ensure_atomic(using)
    connection = transaction.get_connection(using)
    _pending(connection).append(_Pending(storage, name, frozenset(connection.savepoint_ids)))


def _pending(connection: BaseDatabaseWrapper) -> list[_Pending]:
    pending: list[_Pending] | None = getattr(connection, _ATTRIBUTE, None)
    if pending is None:
        pending = []
        _install(connection, pending)
        setattr(connection, _ATTRIBUTE, pending)
    return pending


def _discard(pending: list[_Pending], *, savepoint: str | None = None) -> None:
    """Delete the pending files (those written under `savepoint` when one is named)."""
    doomed = [p for p in pending if savepoint is None or savepoint in p.savepoints]
    for entry in doomed:
        pending.remove(entry)
        try:
            entry.storage.delete(entry.name)
        except Exception:
            logger.exception("Could not delete %s after a rollback.", entry.name)


def _install(connection: BaseDatabaseWrapper, pending: list[_Pending]) -> None:
    commit, rollback = connection.commit, connection.rollback
    savepoint_rollback, close = connection.savepoint_rollback, connection.close

    def committed() -> None:
        commit()
        pending.clear()

    def rolled_back() -> None:
        rollback()
        _discard(pending)

    def rolled_back_to(sid: str) -> None:
        savepoint_rollback(sid)
        _discard(pending, savepoint=sid)

    def closed() -> None:
        try:
            close()
        finally:
            _discard(pending)  # what is still pending belongs to a transaction now lost

    wrappers: dict[str, Any] = {
        "commit": committed,
        "rollback": rolled_back,
        "savepoint_rollback": rolled_back_to,
        "close": closed,
    }
    for attribute, wrapper in wrappers.items():
        setattr(connection, attribute, wrapper)
