"""What every layer may use: errors, settings, safe text, the lecture request."""
