"""Hostile input: hostile documents uploaded beside a normal load."""
