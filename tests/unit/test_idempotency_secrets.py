"""What an idempotency record keeps of an answer: everything but its secrets (ADR 0023)."""

from __future__ import annotations

from heedful.entrypoints.api.idempotency import without_secrets


def test_secret_fields_are_nulled_at_any_depth_and_the_rest_is_kept() -> None:
    answer = {
        "id": "tok_1",
        "secret": "hdf_abc",
        "items": [{"password": "p", "name": "olena"}, {"token_secret": None}],
        "nested": {"api_key": "k", "signing_secret": "s", "prefix": "hdf_ab"},
    }

    assert without_secrets(answer) == {
        "id": "tok_1",
        "secret": None,
        "items": [{"password": None, "name": "olena"}, {"token_secret": None}],
        "nested": {"api_key": None, "signing_secret": None, "prefix": "hdf_ab"},
    }
    assert answer["secret"] == "hdf_abc"  # the first answer itself still carries it
    assert without_secrets([1, "two", None]) == [1, "two", None]
