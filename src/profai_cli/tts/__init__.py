"""Text-to-speech engines: a chunk of text in, int16 mono frames out as they exist."""
