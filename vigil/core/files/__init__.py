"""Uploaded files, once for every app: the upload check (`check`: type by content, size,
metadata removal, decompression-bomb guards), the encrypted store (`store`: write, read with an
access event, delete; a rolled-back transaction leaves no file, `transactions`), the fields a
stored file's row has (`models.EncryptedFile`) and the download response (`responses`).

Generic: the domain app decides who may upload, read or remove, which types it accepts and
which access event a read writes.
"""
