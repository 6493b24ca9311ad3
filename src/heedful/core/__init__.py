"""The core: rules and decisions. Standard library and pure libraries only; no web, no SQL."""
