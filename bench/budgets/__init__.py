"""Budgets: estimates against actual spend, and the overshoot at a hard cap."""
