"""Scale-out: two daphnes and two clusters, and recovery from a killed cluster."""
