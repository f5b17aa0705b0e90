"""Sessions in the database under a hash of their key (`SESSION_ENGINE`).

Django's database backend keeps the session key, the very value of the session cookie, as
the row's primary key: a copied table (a backup, a leaked dump) would sign its reader in as
anyone. This store keeps only `stored_key(key)`, the first 40 hex digits of its SHA-256 (160
bits; the key itself is 32 random characters), and hashes the cookie's value before every
lookup: what the table holds is no cookie, and no cookie can be made from it. Everything else
(expiry, `clearsessions`, a new key at sign-in, deletion at sign-out) is Django's.
"""

import hashlib
from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.base_session import AbstractBaseSession
from django.utils import timezone


def stored_key(session_key: str) -> str:
    """What the database keeps of a session key."""
    return hashlib.sha256(session_key.encode()).hexdigest()[:40]


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self) -> AbstractBaseSession | None:
        if self.session_key is not None:
            found = self.model.objects.filter(
                session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
            ).first()
            if found is not None:
                return found
        self._session_key = None
        return None

    async def _aget_session_from_db(self) -> AbstractBaseSession | None:
        if self.session_key is not None:
            found = await self.model.objects.filter(
                session_key=stored_key(self.session_key), expire_date__gt=timezone.now()
            ).afirst()
            if found is not None:
                return found
        self._session_key = None
        return None

    def exists(self, session_key: str) -> bool:
        return super().exists(stored_key(session_key))

    async def aexists(self, session_key: str) -> bool:
        return await super().aexists(stored_key(session_key))

    def create_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        instance: AbstractBaseSession = super().create_model_instance(data)
        instance.session_key = stored_key(instance.session_key)
        return instance

    async def acreate_model_instance(self, data: dict[str, Any]) -> AbstractBaseSession:
        instance: AbstractBaseSession = await super().acreate_model_instance(data)
        instance.session_key = stored_key(instance.session_key)
        return instance

    def delete(self, session_key: str | None = None) -> None:
        key = session_key if session_key is not None else self.session_key
        if key is not None:
            super().delete(stored_key(key))

    async def adelete(self, session_key: str | None = None) -> None:
        key = session_key if session_key is not None else self.session_key
        if key is not None:
            await super().adelete(stored_key(key))
