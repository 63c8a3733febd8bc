"""The REST API of reporting rounds, follow-ups and board reports."""
