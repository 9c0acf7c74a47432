"""The command line: parsing, options, help, and running a command the way a user meets it."""
