"""Backup and restore (`manage.py backup`, `manage.py restore`).

An archive is a gzipped tar, encrypted in chunks with a backup key that is not a field key
(`cipher`): the rows of every model, table by table (`tables`: JSON lines, portable between
SQLite and PostgreSQL, each table's count and content hash in the manifest), the files of the
default storage, and a manifest with a SHA-256 per member (`archive`). Encrypted fields stay
encrypted with the field keys inside it: the archive alone reveals nothing, and a restored
instance needs the same `FIELD_ENCRYPTION_KEYS` (and `IDENTITY_FINGERPRINT_KEY`).
"""
