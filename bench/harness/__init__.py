"""What every scenario shares: processes, databases, the machine, the run's plumbing,
report helpers. It imports no scenario."""
