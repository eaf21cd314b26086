"""Bulk creation: task_create_many and the batch endpoint, with no cluster."""
