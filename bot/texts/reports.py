"""User-facing texts for the reports features (Japanese, English)."""

TEXTS: dict[str, tuple[str, str]] = {}
