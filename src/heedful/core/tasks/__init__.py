"""Staff tasks: the calls, checks and goodwill gestures Heedful asks a person to do."""
