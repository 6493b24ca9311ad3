"""Pages customers themselves open: the unsubscribe link (later: surveys, the chat page)."""
