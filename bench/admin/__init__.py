"""Every admin page at production size."""
