"""Live progress: a task's persisted events, delivered to WebSocket and SSE clients as they
commit (docs/live.md).

- `consumers`: the WebSocket protocol (subscribe, unsubscribe, ping, queue status);
- `streams`: the Server-Sent Events stream of one task;
- `routing`, `auth`, `limits`: the WebSocket routes, who may connect, how fast they may talk;
- `push` (Redis mode): every process that commits an event sends it to the channel layer;
- `relay` (embedded mode): daphne polls the persisted events of the tasks it follows;
- `messages`: what clients receive; `selectors`: the reads behind it;
- `addresses`: a task's stream URL, its channel layer group, and the mode (push or relay).
"""
