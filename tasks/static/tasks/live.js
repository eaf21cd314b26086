/* Live task updates for the pages, with no dependencies.
 *
 * One WebSocket to /ws/tasks/ (the session cookie authenticates it) carries every task the
 * page follows. Each task remembers the seq of the last event applied; after a drop the
 * socket reconnects with backoff and subscribes with "after": that seq, so the server
 * replays exactly what was missed and anything seen twice is dropped here by seq. When the
 * WebSocket cannot connect at all (a proxy that refuses upgrades), each task falls back to
 * its SSE stream, which resumes the same way with Last-Event-ID.
 *
 * Both protocols are turned into one shape for the pages:
 *   {taskId, seq, snapshot, type, status, percent, text, processed, total, eta, error,
 *    retryCount, result, reason, cost}
 * where type is started | progress | completed | failed | cancelled | retrying | state, and
 * a snapshot (the task as it is when subscribing) is state rather than an event to log.
 */
(function () {
  'use strict';

  const FINISHED = new Set(['completed', 'failed', 'cancelled']);
  const STATUS_OF = {
    started: 'processing', progress: 'processing', completed: 'completed', failed: 'failed',
    cancelled: 'cancelled', retrying: 'pending',
  };
  const SSE_TYPES = {
    task_started: 'started', progress_update: 'progress', task_completed: 'completed',
    task_failed: 'failed', task_cancelled: 'cancelled', task_retrying: 'retrying',
  };
  // A socket that opens but says nothing this long (a proxy swallowing it) counts as failed.
  const SILENCE_LIMIT_MS = 5000;
  const MAX_BACKOFF_MS = 15000;

  function first(...values) {
    for (const value of values) if (value !== undefined && value !== null) return value;
    return null;
  }

  function numberOrNull(value) {
    const number = Number(value);
    return value === null || value === undefined || value === '' || Number.isNaN(number) ? null : number;
  }

  function percentOf(data) {
    if (data.progress !== undefined && data.progress !== null) return Number(data.progress);
    const value = first(data.value, data.progress_value);
    return value === null ? null : Number(value) * 100;
  }

  /** Normalise a WebSocket message (docs/api.md, "The WebSocket protocol") or return null if it is not a task's. */
  function fromWebSocket(message) {
    const data = message.data || {};
    const base = {
      taskId: message.task_id || data.task_id,
      seq: numberOrNull(first(message.seq, data.seq)),
      // A subscriber's first messages describe the task as it is now, not an event.
      snapshot: message.event_type === 'state',
      text: first(data.text, data.progress_text),
      processed: first(data.processed_chunks, data.processed_units),
      total: first(data.total_chunks, data.total_units),
      eta: first(data.eta),
      percent: percentOf(data),
      cost: numberOrNull(first(data.cost_usd, data.total_cost_usd)),
      error: first(data.error_message, data.error),
      retryCount: first(data.retry_count),
      raw: message,
    };
    if (!base.taskId) return null;
    if (message.type === 'progress_update') {
      return { ...base, type: base.snapshot ? 'state' : 'progress', status: first(data.status, 'processing') };
    }
    if (message.type !== 'task_update') return null;
    const type = data.type in STATUS_OF ? data.type : 'state';
    return {
      ...base,
      type,
      status: first(data.status, STATUS_OF[type]),
      result: first(data.result, data.chunk_ids ? { chunk_ids: data.chunk_ids } : null),
      reason: first(data.reason, type === 'cancelled' ? data.error_message : null),
      delaySeconds: first(data.delay_seconds),
      attempt: first(data.attempt),
    };
  }

  /** Normalise one SSE `task_event` (docs/api.md, "The SSE stream"). */
  function fromStream(taskId, event) {
    let payload;
    try { payload = JSON.parse(event.data); } catch (error) { return null; }
    const data = payload.data || {};
    const type = SSE_TYPES[payload.event_type] || 'state';
    return {
      taskId,
      seq: numberOrNull(first(event.lastEventId || null, payload.seq)),
      snapshot: false,
      type,
      status: type === 'state' ? first(data.status) : STATUS_OF[type],
      percent: type === 'progress' || type === 'state' ? percentOf(data) : null,
      text: first(data.text, data.progress_text),
      processed: first(data.processed_units, data.processed_chunks),
      total: first(data.total_units, data.total_chunks),
      eta: first(data.eta),
      error: first(data.error, data.error_message),
      retryCount: first(data.retry_count),
      result: first(data.result),
      reason: first(data.reason),
      delaySeconds: first(data.delay_seconds),
      attempt: first(data.attempt),
      cost: numberOrNull(first(data.cost_usd)),
      raw: payload,
    };
  }

  class TaskLive {
    /**
     * urls: {websocket: "/ws/tasks/", stream: "/api/tasks/{task_id}/stream"}
     * onEvent(event): called once per event, in seq order, never twice for one seq.
     * onTransport(state): connecting | websocket | reconnecting | sse | signed-out | offline.
     * onMessage(message): every other WebSocket message (queue_status, error, pong).
     * maxStreams: SSE streams open at once; a browser allows only six HTTP/1.1 connections
     * per server, so a page following many tasks must leave room for its other requests.
     * Tasks beyond it wait for a stream (the page may poll them meanwhile: `isStreaming`).
     */
    constructor({ urls, onEvent, onTransport = () => {}, onMessage = () => {}, maxStreams = 4 }) {
      this.urls = urls;
      this.maxStreams = maxStreams;
      this.onEvent = onEvent;
      this.onTransport = onTransport;
      this.onMessage = onMessage;
      this.tasks = new Map(); // taskId -> {lastSeq, finished, source}
      this.transport = 'connecting';
      this.socket = null;
      this.failures = 0;
      this.everHealthy = false;
      this.reconnectTimer = null;
      this.stopped = false;
      window.addEventListener('pagehide', () => this.stop());
    }

    /**
     * Follow a task. With `afterSeq` (a number, 0 for all), every event after it is replayed,
     * then live ones; without it (null), the task's current state comes first, then live events.
     */
    follow(taskId, afterSeq = null) {
      const known = this.tasks.get(taskId);
      const resume = afterSeq !== null && afterSeq !== undefined;
      const task = {
        lastSeq: Math.max(resume ? afterSeq : 0, known ? known.lastSeq : 0),
        resume: resume || Boolean(known && known.resume),
        finished: false,
        source: null,
      };
      if (known && known.source) known.source.close();
      this.tasks.set(taskId, task);
      if (known && known.source) this._streamsFill();
      if (this.transport === 'sse') this._streamOpen(taskId, task);
      else if (this._socketOpen()) this._subscribe(taskId, task);
      else if (!this.socket && !this.reconnectTimer) this._connect();
    }

    unfollow(taskId) {
      const task = this.tasks.get(taskId);
      if (!task) return;
      this.tasks.delete(taskId);
      if (task.source) { task.source.close(); this._streamsFill(); }
      if (this._socketOpen()) this._send({ action: 'unsubscribe', task_id: taskId });
    }

    /** Ask the server for the queue status; the answer comes to onMessage. */
    requestQueueStatus() {
      if (this._socketOpen()) this._send({ action: 'get_queue_status' });
    }

    stop() {
      this.stopped = true;
      clearTimeout(this.reconnectTimer);
      if (this.socket) this.socket.close(1000);
      for (const task of this.tasks.values()) if (task.source) task.source.close();
    }

    // --- delivery ----------------------------------------------------------------------
    _deliver(event) {
      const task = this.tasks.get(event.taskId);
      if (!task) return;
      if (event.snapshot) {
        task.lastSeq = Math.max(task.lastSeq, event.seq || 0);
      } else if (event.seq !== null) {
        if (event.seq <= task.lastSeq) return; // replayed after a reconnect: already shown
        task.lastSeq = event.seq;
      }
      if (FINISHED.has(event.status)) this._finish(event.taskId, task);
      this.onEvent(event);
    }

    _finish(taskId, task) {
      task.finished = true;
      if (task.source) { task.source.close(); task.source = null; this._streamsFill(); }
      if (this._socketOpen()) this._send({ action: 'unsubscribe', task_id: taskId });
    }

    _setTransport(state) {
      this.transport = state;
      this.onTransport(state);
    }

    // --- WebSocket ---------------------------------------------------------------------
    _socketOpen() {
      return this.socket && this.socket.readyState === WebSocket.OPEN;
    }

    _send(message) {
      this.socket.send(JSON.stringify(message));
    }

    _subscribe(taskId, task) {
      if (task.finished) return;
      const message = { action: 'subscribe', task_id: taskId };
      if (task.resume || task.lastSeq > 0) message.after = task.lastSeq;
      this._send(message);
    }

    _connect() {
      if (this.stopped) return;
      this.reconnectTimer = null;
      if (typeof WebSocket === 'undefined') { this._fallBack(); return; }
      const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
      let socket;
      try {
        socket = new WebSocket(`${scheme}://${window.location.host}${this.urls.websocket}`);
      } catch (error) {
        this._socketFailed(false);
        return;
      }
      this.socket = socket;
      let healthy = false;
      let silence = null;
      socket.onopen = () => {
        for (const [taskId, task] of this.tasks) this._subscribe(taskId, task);
        this._send({ action: 'ping' }); // any answer proves the socket really works
        silence = setTimeout(() => { if (!healthy) socket.close(4000, 'no answer'); }, SILENCE_LIMIT_MS);
      };
      socket.onmessage = (frame) => {
        if (!healthy) {
          healthy = true;
          this.everHealthy = true;
          this.failures = 0;
          this._setTransport('websocket');
        }
        let message;
        try { message = JSON.parse(frame.data); } catch (error) { return; }
        const event = fromWebSocket(message);
        if (event) this._deliver(event);
        else this.onMessage(message);
      };
      socket.onclose = (close) => {
        clearTimeout(silence);
        if (this.socket === socket) this.socket = null;
        if (this.stopped) return;
        if (close.code === 4401 || close.code === 4403) { this._setTransport('signed-out'); return; }
        this._socketFailed(healthy);
      };
    }

    _socketFailed(wasHealthy) {
      if (!wasHealthy) this.failures += 1;
      // Never got an answer twice in a row: WebSockets do not get through, use SSE. A socket
      // that worked before and now fails (a server restart) keeps retrying longer.
      const limit = this.everHealthy ? 6 : 2;
      if (this.failures >= limit) { this._fallBack(); return; }
      const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.failures) * (0.8 + Math.random() * 0.4);
      this._setTransport('reconnecting');
      this.reconnectTimer = setTimeout(() => this._connect(), delay);
    }

    // --- SSE fallback ------------------------------------------------------------------
    _fallBack() {
      this._setTransport('sse');
      this._streamsFill();
    }

    /** True when the task's events arrive live (so a page need not poll it). */
    isStreaming(taskId) {
      const task = this.tasks.get(taskId);
      if (!task) return false;
      return this.transport === 'sse' ? Boolean(task.source) : this.transport === 'websocket';
    }

    _streamsFill() {
      if (this.transport !== 'sse') return;
      let open = 0;
      for (const task of this.tasks.values()) if (task.source) open += 1;
      for (const [taskId, task] of this.tasks) {
        if (open >= this.maxStreams) return;
        if (!task.source && !task.finished) { this._streamOpen(taskId, task); open += 1; }
      }
    }

    _streamOpen(taskId, task) {
      if (task.finished || typeof EventSource === 'undefined') return;
      let open = 0;
      for (const other of this.tasks.values()) if (other.source) open += 1;
      if (open >= this.maxStreams) return; // it waits for a stream to end
      let url = this.urls.stream.replace('{task_id}', encodeURIComponent(taskId));
      // A new EventSource cannot send Last-Event-ID itself (it does on its own reconnects).
      if (task.lastSeq > 0) url += `${url.includes('?') ? '&' : '?'}after=${task.lastSeq}`;
      const source = new EventSource(url, { withCredentials: true });
      task.source = source;
      source.addEventListener('task_event', (message) => {
        const event = fromStream(taskId, message);
        if (event) this._deliver(event);
      });
      source.addEventListener('error', () => {
        if (source.readyState === EventSource.CLOSED && !task.finished) this._setTransport('offline');
      });
    }
  }

  window.TaskLive = TaskLive;
  window.TaskLiveFormat = { FINISHED };
})();
