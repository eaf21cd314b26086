"""The cost ledger at 1,000,000 request records: its reads and its size."""
