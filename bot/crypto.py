"""Application-layer encryption of sensitive details (要配慮個人情報), with named keys.

`TSUNAGI_DATA_KEY` holds one or more Fernet keys, each with an id: `id1:key1,id2:key2`.
The first key encrypts; every key decrypts, chosen by the key id stored beside each ciphertext.
Rotation: generate a new key (`python -m bot.crypto NEW_ID`), put it FIRST and keep the old ones
after it; new notes use the new key and old notes still open. Drop an old key only once no
stored note names its id any more. Keys live in the environment, never in the database, so a
leaked database file holds only ciphertext.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken

KEY_ID = re.compile(r"[A-Za-z0-9_.-]{1,32}")


class KeyringError(ValueError):
    """TSUNAGI_DATA_KEY is malformed, or a ciphertext names a key that is not configured."""


@dataclass(frozen=True)
class Keyring:
    """Fernet keys by id; the first one encrypts."""

    keys: tuple[tuple[str, Fernet], ...]

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        """Read `id1:key1,id2:key2` (the first key encrypts); fail with the reason."""
        keys: list[tuple[str, Fernet]] = []
        for item in (part.strip() for part in spec.split(",")):
            key_id, sep, key = item.partition(":")
            if not sep or not KEY_ID.fullmatch(key_id):
                raise KeyringError("TSUNAGI_DATA_KEY must look like id1:KEY1,id2:KEY2")
            if any(key_id == known for known, _ in keys):
                raise KeyringError(f"TSUNAGI_DATA_KEY names the key id {key_id!r} twice")
            try:
                keys.append((key_id, Fernet(key.strip())))
            except ValueError as exc:
                raise KeyringError(
                    f"TSUNAGI_DATA_KEY: key {key_id!r} is not a Fernet key "
                    "(32 url-safe base64-encoded bytes)"
                ) from exc
        return cls(tuple(keys))

    @property
    def primary_id(self) -> str:
        """Return the id of the key that encrypts."""
        return self.keys[0][0]

    def encrypt(self, plaintext: str) -> tuple[str, bytes]:
        """Encrypt text with the first key; return (key id, ciphertext)."""
        key_id, fernet = self.keys[0]
        return key_id, fernet.encrypt(plaintext.encode("utf-8"))

    def decrypt(self, key_id: str, ciphertext: bytes) -> str:
        """Decrypt a ciphertext with the key it was written with."""
        for known, fernet in self.keys:
            if known == key_id:
                try:
                    return fernet.decrypt(ciphertext).decode("utf-8")
                except InvalidToken as exc:
                    raise KeyringError(f"the ciphertext does not open with key {key_id!r}") from exc
        raise KeyringError(f"key {key_id!r} is not in TSUNAGI_DATA_KEY (was it dropped too early?)")


def new_key_entry(key_id: str) -> str:
    """Return a fresh `id:key` entry to put first in TSUNAGI_DATA_KEY."""
    if not KEY_ID.fullmatch(key_id):
        raise KeyringError("a key id is 1-32 letters, digits, '_', '.' or '-'")
    return f"{key_id}:{Fernet.generate_key().decode('ascii')}"


if __name__ == "__main__":  # pragma: no cover - an operator's one-liner
    print(new_key_entry(sys.argv[1] if len(sys.argv) > 1 else "k1"))
