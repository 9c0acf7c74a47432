"""Real local stand-ins for the services profai talks to."""
