"""User-facing texts for the murmurs features (Japanese, English)."""

TEXTS: dict[str, tuple[str, str]] = {}
