"""Live progress: report to WebSocket client latency, and fan-out to many clients."""
