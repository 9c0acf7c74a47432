"""Where audio goes: the sound device (through a ring buffer) or a file."""
