/* The dashboard: live bars for recent tasks, new tasks as they appear, the queue, a start form. */
(function () {
  'use strict';

  const table = document.getElementById('recent-tasks');
  if (!table) return;
  const api = window.TaskLedgerApi;
  const urls = JSON.parse(document.getElementById('live-urls').textContent);
  const FINISHED = window.TaskLiveFormat.FINISHED;
  const body = table.tBodies[0];
  const limit = Number(table.dataset.limit) || 20;
  const LABELS = {
    pending: 'Waiting in queue', processing: 'Running', completed: 'Completed',
    failed: 'Failed', cancelled: 'Cancelled',
  };
  const POLL_MS = 5000;

  function rowFor(taskId) {
    return body.querySelector(`tr[data-task-id="${CSS.escape(taskId)}"]`);
  }

  function paint(row, { status, percent, line }) {
    row.dataset.status = status;
    const pill = row.querySelector('[data-role="status"]');
    pill.textContent = status;
    pill.className = `pill status-${status}`;
    const shown = status === 'completed' ? 100 : Math.round(percent || 0);
    const bar = row.querySelector('[data-role="bar"]');
    bar.className = `progress${FINISHED.has(status) ? ` is-${status}` : ''}`;
    bar.setAttribute('aria-valuenow', String(shown));
    bar.querySelector('.progress-fill').style.width = `${shown}%`;
    row.querySelector('[data-role="status-line"]').textContent = line;
  }

  function lineFor(status, text, error) {
    const label = LABELS[status] || status;
    if ((status === 'failed' || status === 'cancelled') && error) return `${label}: ${error}`;
    if (status === 'processing' && text) return `${label}: ${text}`;
    return label;
  }

  // Today's cost is rendered by the server; a task's end is when its cost is final, so the
  // card is re-read then (and once a minute), the second time after the attempt's record closed.
  let costTimer = null;

  async function costCardRefresh() {
    let html;
    try {
      const response = await fetch('/', { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (!response.ok || response.redirected) return;
      html = await response.text();
    } catch (error) {
      return;
    }
    const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('cost-today');
    const card = document.getElementById('cost-today');
    if (fresh && card) card.replaceWith(fresh);
  }

  function costCardSoon() {
    clearTimeout(costTimer);
    costTimer = setTimeout(() => { costCardRefresh(); setTimeout(costCardRefresh, 2000); }, 500);
  }

  function onEvent(event) {
    if (FINISHED.has(event.status) && !event.snapshot) costCardSoon();
    const row = rowFor(event.taskId);
    if (!row) return;
    const bar = row.querySelector('[data-role="bar"]');
    const percent = event.percent !== null && event.percent !== undefined
      ? event.percent : Number(bar.getAttribute('aria-valuenow'));
    const status = event.status || row.dataset.status;
    paint(row, { status, percent, line: lineFor(status, event.text, event.error || event.reason) });
  }

  function cell(content, className) {
    const td = document.createElement('td');
    if (className) td.className = className;
    if (content instanceof Node) td.append(content); else td.textContent = content;
    return td;
  }

  function newRow(task) {
    const row = document.createElement('tr');
    row.dataset.taskId = task.task_id;
    row.dataset.status = task.status;
    const link = document.createElement('a');
    link.className = 'mono';
    link.href = `/tasks/${encodeURIComponent(task.task_id)}/`;
    link.textContent = task.task_id;
    const first = cell(link);
    if (task.entity_id) {
      const entity = document.createElement('div');
      entity.className = 'muted small';
      entity.textContent = task.entity_id;
      first.append(entity);
    }
    const pill = document.createElement('span');
    pill.dataset.role = 'status';
    const progress = document.createElement('td');
    progress.className = 'wide';
    progress.innerHTML = '<div class="progress" role="progressbar" aria-valuemin="0" '
      + 'aria-valuemax="100" data-role="bar"><div class="progress-fill"></div></div>'
      + '<div class="small muted" data-role="status-line"></div>';
    const created = document.createElement('time');
    created.dateTime = task.created_at;
    created.textContent = new Date(task.created_at).toLocaleString();
    row.append(first, cell(task.kind), cell(pill), progress, cell(task.priority),
      cell(created, 'small muted'));
    paint(row, {
      status: task.status, percent: task.progress,
      line: lineFor(task.status, task.progress_text, task.error_message),
    });
    return row;
  }

  async function pollTasks() {
    let answer;
    try {
      answer = await api.request('GET', `/api/tasks/?page_size=${limit}`);
    } catch (error) {
      return;
    }
    const empty = body.querySelector('.empty-row');
    for (const task of answer.tasks.slice().reverse()) {
      const row = rowFor(task.task_id);
      if (row) {
        // Tasks waiting for a stream move with the poll; a finished task gets no more
        // events, so anything a missed update left behind is corrected.
        const behind = FINISHED.has(task.status) && row.dataset.status !== task.status;
        if (behind || (!FINISHED.has(row.dataset.status) && !live.isStreaming(task.task_id))) {
          paint(row, { status: task.status, percent: task.progress,
            line: lineFor(task.status, task.progress_text, task.error_message) });
          if (FINISHED.has(task.status) && !live.isStreaming(task.task_id)) live.unfollow(task.task_id);
        }
        continue;
      }
      if (empty) empty.remove();
      body.prepend(newRow(task));
      if (!FINISHED.has(task.status)) live.follow(task.task_id);
    }
    while (body.rows.length > limit) body.deleteRow(body.rows.length - 1);
  }

  async function pollQueue() {
    let queue;
    try {
      queue = await api.request('GET', '/api/tasks/queue/status');
    } catch (error) {
      return;
    }
    const card = document.getElementById('queue-status');
    card.querySelector('[data-role="active"]').textContent = queue.active_tasks;
    card.querySelector('[data-role="queue-size"]').textContent = queue.queue_size;
    card.querySelector('[data-role="failed"]').textContent = queue.status_counts.failed;
    for (const [priority, waiting] of Object.entries(queue.queue_by_priority || {})) {
      const cellForPriority = card.querySelector(`[data-priority="${CSS.escape(priority)}"]`);
      if (cellForPriority) cellForPriority.textContent = waiting;
    }
  }

  const indicator = document.querySelector('[data-role="connection"]');
  const TRANSPORT_LABELS = {
    connecting: 'connecting…', websocket: 'live', sse: 'live (SSE)',
    reconnecting: 'reconnecting…', 'signed-out': 'signed out: reload to log in', offline: 'offline',
  };
  const live = new window.TaskLive({
    urls,
    onEvent,
    onTransport: (transport) => {
      indicator.dataset.state = transport;
      indicator.textContent = TRANSPORT_LABELS[transport] || transport;
      document.body.dataset.liveTransport = transport;
    },
  });
  window.taskLive = live;
  let following = 0;
  for (const row of body.rows) {
    if (row.dataset.taskId && !FINISHED.has(row.dataset.status)) {
      live.follow(row.dataset.taskId);
      following += 1;
    }
  }
  if (!following) { indicator.dataset.state = 'idle'; indicator.textContent = 'up to date'; }
  setInterval(() => {
    if (document.visibilityState === 'visible') { pollTasks(); pollQueue(); }
  }, POLL_MS);
  setInterval(() => { if (document.visibilityState === 'visible') costCardRefresh(); }, 60000);

  // --- start a task -------------------------------------------------------------------
  const form = document.getElementById('start-task');
  if (form) {
    form.addEventListener('submit', async (submit) => {
      submit.preventDefault();
      const failure = form.querySelector('[data-role="form-error"]');
      failure.hidden = true;
      const fields = new FormData(form);
      let params = {};
      const rawParams = (fields.get('params') || '').trim();
      if (rawParams) {
        try { params = JSON.parse(rawParams); } catch (error) {
          failure.textContent = `Parameters must be a JSON object, e.g. {"steps": 20}: ${error.message}`;
          failure.hidden = false;
          return;
        }
      }
      const payload = { kind: fields.get('kind'), priority: fields.get('priority'), params };
      if (fields.get('entity_id')) payload.entity_id = fields.get('entity_id');
      const button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      try {
        const task = await api.request('POST', form.dataset.api, payload);
        window.location.assign(`/tasks/${encodeURIComponent(task.task_id)}/`);
      } catch (error) {
        failure.textContent = error.message;
        failure.hidden = false;
        button.disabled = false;
      }
    });
  }
})();
