"""The commands: each the few lines that differ (where the text goes, where the audio goes)."""
