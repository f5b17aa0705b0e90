"""Visit references: the year and a random code ("2026-K7Q2M9").

A reference numbered through the year ("2026-0042") let anyone who sees two of them count the
visits planned in between, and an agency's liaison sees the references of the visits that
took place at its institutions: the count of unannounced visits still to come leaked. A random
code carries no order. Its letters leave out those read as others (I, L, O, U; Crockford's
alphabet), so a reference read aloud or typed from paper is the same.
"""

import secrets

REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_CODE_LENGTH = 6  # 32**6, about a billion codes a year: a clash is retried
REFERENCE_ATTEMPTS = 10


def visit_reference(year: int) -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_CODE_LENGTH))
    return f"{year}-{code}"
