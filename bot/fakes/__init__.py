"""Local fakes of the chat platforms, for tests and `tsunagi demo` (never used in production)."""
