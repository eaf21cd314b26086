"""Visibility: a job's return to its completed update on a WebSocket client, at full rate."""
