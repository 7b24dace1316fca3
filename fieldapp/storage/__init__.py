"""Storage: encrypted blobs and plaintext bookkeeping in SQLite (or PostgreSQL on a hub).

The rest of fieldapp uses only :class:`fieldapp.storage.store.Store`, its records and its
errors. ``from fieldapp.storage import Store`` works but imports SQLAlchemy lazily, so importing
:mod:`fieldapp.storage.errors` alone stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fieldapp.storage.store import Store

__all__ = ["Store"]


def __getattr__(name: str) -> Any:
    if name == "Store":
        from fieldapp.storage.store import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
