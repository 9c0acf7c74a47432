"""The ear: a spoken question to text (offline with pocketsphinx, or a service)."""
