"""The lecture domain: its text, chunks and audio, playback, the player, the store, metrics."""
