"""User-facing texts for the records features (Japanese, English)."""

TEXTS: dict[str, tuple[str, str]] = {}
