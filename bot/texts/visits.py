"""User-facing texts for the visits features (Japanese, English)."""

TEXTS: dict[str, tuple[str, str]] = {}
