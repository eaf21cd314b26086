"""Worker kills: no death wedges a cluster."""
