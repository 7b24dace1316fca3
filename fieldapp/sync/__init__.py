"""Sync: signed bundles, the supervisor hub (SQLite folder or PostgreSQL), review, returns.

Device → hub: ``*.fieldsync`` zip bundles of sealed interviews, signed by the device key
(:mod:`.bundle`, :mod:`.device`). Hub: idempotent all-or-nothing import with conflicts
(:mod:`.hub`, :mod:`.hub_import`), review decisions (:mod:`.review`). Hub → device: return
bundles authenticated with the device's own data key (:mod:`.returns`, :mod:`.device_pull`).
Protocol and formats: docs/sync.md.
"""
