"""Password hashing: production hashes with argon2id's strong parameters, whatever the tests use."""

from __future__ import annotations

import argon2

from services.accounts.passwords import STRONG_PARAMETERS, PasswordHasher

CHEAP = PasswordHasher(argon2.PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


def test_production_hashes_with_argon2id_three_passes_over_64_mib_and_four_lanes():
    strong = PasswordHasher.strong()

    assert strong.parameters == STRONG_PARAMETERS
    assert (STRONG_PARAMETERS.type, STRONG_PARAMETERS.time_cost) == (argon2.Type.ID, 3)
    assert (STRONG_PARAMETERS.memory_cost, STRONG_PARAMETERS.parallelism) == (65536, 4)
    assert strong.hash("Oliviers-Demo-2026").startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_a_hash_verifies_its_password_only():
    stored = CHEAP.hash("Oliviers-Demo-2026")

    assert CHEAP.verify(stored, "Oliviers-Demo-2026") is True
    assert CHEAP.verify(stored, "oliviers-demo-2026") is False
    assert CHEAP.verify("not a hash", "Oliviers-Demo-2026") is False


def test_an_unknown_user_never_verifies():
    assert CHEAP.verify(None, "unused-dummy-password-for-timing") is False
    assert CHEAP.verify(None, "") is False


def test_a_hash_keeps_its_own_cost_whichever_hasher_checks_it():
    stored = PasswordHasher.strong().hash("Martin-Demo-2026")

    assert argon2.extract_parameters(stored) == STRONG_PARAMETERS
    assert CHEAP.verify(stored, "Martin-Demo-2026") is True
