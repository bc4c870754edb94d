"""Password hashing with argon2id; a hash is never logged nor shown.

Why a class and not two functions: the cost of a hash is a choice of the composition root.
Production uses `PasswordHasher.strong()` (argon2-cffi's RFC 9106 low-memory profile); the test
suite injects cheap parameters so that thousands of logins run in seconds. Verifying reads the
parameters stored in each hash, so a hash keeps its cost whichever hasher checks it.
"""

from __future__ import annotations

from functools import cached_property

import argon2
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

STRONG_PARAMETERS = RFC_9106_LOW_MEMORY
"""What production hashes with: argon2id, 3 passes over 64 MiB, 4 lanes."""


class PasswordHasher:
    """Hashes and verifies passwords with one set of argon2 parameters."""

    def __init__(self, argon2_hasher: argon2.PasswordHasher) -> None:
        self._argon2 = argon2_hasher

    @classmethod
    def strong(cls) -> PasswordHasher:
        """The production hasher."""
        return cls(argon2.PasswordHasher.from_parameters(STRONG_PARAMETERS))

    @property
    def parameters(self) -> argon2.Parameters:
        """The parameters new hashes are made with."""
        return argon2.extract_parameters(self._dummy_hash)

    @cached_property
    def _dummy_hash(self) -> str:
        """A real hash of a random string, verified when the identifier is unknown so that both
        failures cost the same time and cannot be told apart."""
        return self._argon2.hash("unused-dummy-password-for-timing")

    def hash(self, password: str) -> str:
        return self._argon2.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        """True when `password` matches; an unknown user (None) costs a verification too."""
        try:
            return (
                self._argon2.verify(password_hash or self._dummy_hash, password)
                and password_hash is not None
            )
        except (VerificationError, InvalidHashError):
            return False
