"""Progress reporting: a job reporting at every step against a silent one."""
