"""Throughput: tracked tasks against bare django-q2, CPU per job, SQL statements per task."""
