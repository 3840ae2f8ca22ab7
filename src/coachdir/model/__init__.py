"""The typed model: objects built only from validated data."""
