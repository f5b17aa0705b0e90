"""Results computed over whole tables (analyses, open datasets), kept until the data change.

- `data_stamp(name, models, seconds)`: a fingerprint of the records of `models` (how many,
  the last change, the highest id of each). Counting a large table costs a scan, so the stamp
  is kept in the cache and read again at most every `seconds` (0: on every call): a change
  shows after at most that long.
- `kept(key, compute, timeout)`: the value under `key`, from this process's memory, else the
  shared cache, else computed and stored in both. The key must hold the data stamp: a value
  is never changed under its key, so the process's copy is never stale, and a large value is
  not read back from the cache (and unpickled) on every request.
"""

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Iterable
from threading import Lock
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Model

MEMORY_ENTRIES = 16
_memory: OrderedDict[str, Any] = OrderedDict()
_memory_lock = Lock()


def data_stamp(name: str, models: Iterable[type[Model]], seconds: int) -> str:
    """The fingerprint of the records of `models`, read again at most every `seconds`."""
    key = f"stamp:{name}"
    stamp = cache.get(key) if seconds > 0 else None
    if stamp is None:
        parts: list[object] = []
        for model in models:
            found = model._default_manager.aggregate(
                n=Count("pk"), last=Max("updated_at"), top=Max("pk")
            )
            parts += [found["n"], str(found["last"]), found["top"]]
        stamp = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
        if seconds > 0:
            cache.set(key, stamp, seconds)
    return str(stamp)


def kept[T](key: str, compute: Callable[[], T], timeout: int) -> T:
    """The value under `key` (which holds the data stamp), computed once for every process."""
    with _memory_lock:
        if key in _memory:
            _memory.move_to_end(key)
            return _memory[key]  # type: ignore[no-any-return]
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, timeout)
    with _memory_lock:
        _memory[key] = found
        while len(_memory) > MEMORY_ENTRIES:
            _memory.popitem(last=False)
    return found  # type: ignore[no-any-return]


def forget_kept() -> None:
    """Empty this process's copies (tests that empty the cache call it too)."""
    with _memory_lock:
        _memory.clear()
