/* The task page: bar, status, ETA, event log and cost follow the task live; cancel / retry. */
(function () {
  'use strict';

  const view = document.getElementById('task-view');
  if (!view) return;
  const state = JSON.parse(document.getElementById('task-state').textContent);
  const urls = JSON.parse(document.getElementById('live-urls').textContent);
  const taskId = state.task_id;
  const api = window.TaskLedgerApi;
  const $ = (role) => document.querySelector(`[data-role="${role}"]`);
  const cancelButton = document.querySelector('[data-action="cancel"]');
  const retryButton = document.querySelector('[data-action="retry"]');
  const FINISHED = window.TaskLiveFormat.FINISHED;

  const LABELS = {
    pending: 'Waiting in queue', processing: 'Running', completed: 'Completed',
    failed: 'Failed', cancelled: 'Cancelled',
  };
  const TRANSPORT_LABELS = {
    connecting: 'connecting…', websocket: 'live', sse: 'live (SSE)',
    reconnecting: 'reconnecting…', 'signed-out': 'signed out: reload to log in', offline: 'offline',
  };

  // --- rendering ----------------------------------------------------------------------
  function render() {
    const status = state.status;
    const percent = status === 'completed' ? 100 : Math.round(state.progress || 0);
    const pill = $('status');
    pill.textContent = status;
    pill.className = `pill status-${status}`;
    $('percent').textContent = `${percent}%`;
    const bar = $('bar');
    bar.setAttribute('aria-valuenow', String(percent));
    bar.className = `progress${FINISHED.has(status) ? ` is-${status}` : ''}`;
    bar.querySelector('.progress-fill').style.width = `${percent}%`;
    $('status-line').textContent = statusLine();
    const error = $('error');
    error.hidden = status !== 'failed';
    error.textContent = status === 'failed'
      ? `This task failed: ${state.error_message || 'no reason was recorded'}` : '';
    $('units').textContent = state.total_units
      ? `${state.processed_units || 0} of ${state.total_units}` : '–';
    $('attempts').textContent = `${state.attempts} of ${state.max_attempts}`;
    cancelButton.hidden = FINISHED.has(status);
    retryButton.hidden = !(status === 'failed' || status === 'cancelled');
    renderEta();
  }

  function statusLine() {
    const label = LABELS[state.status] || state.status;
    if ((state.status === 'failed' || state.status === 'cancelled') && state.error_message) {
      return `${label}: ${state.error_message}`;
    }
    if (state.status === 'pending' && state.attempts && state.error_message) {
      return `Waiting to retry: ${state.error_message}`;
    }
    if (state.status === 'processing' && state.progress_text) return `${label}: ${state.progress_text}`;
    return label;
  }

  function renderEta() {
    const eta = $('eta');
    if (!state.eta || FINISHED.has(state.status)) { eta.textContent = '–'; return; }
    const seconds = Math.max(0, Math.round((Date.parse(state.eta) - Date.now()) / 1000));
    eta.textContent = seconds < 60 ? `about ${seconds} s`
      : `about ${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  }

  function describe(event) {
    switch (event.type) {
      case 'started': return `Started (attempt ${event.attempt || state.attempts || '?'})`;
      case 'progress': {
        const percent = `${Math.round(event.percent || 0)}%`;
        return event.text ? `${percent}: ${event.text}` : percent;
      }
      case 'completed': return 'Completed';
      case 'failed': return `Failed: ${event.error || 'no reason given'}`;
      case 'cancelled': return `Cancelled: ${event.reason || event.error || 'by request'}`;
      case 'retrying':
        if (event.error) {
          const wait = typeof event.delaySeconds === 'number' ? `; retrying in ${Math.round(event.delaySeconds)} s` : '';
          return `Attempt failed: ${event.error}${wait}`;
        }
        return `Back in the queue: ${event.reason || 'retry'}`;
      default: return `Now ${event.status || 'updated'}`;
    }
  }

  function logEvent(event) {
    if (event.snapshot || event.seq === null || event.type === 'state') return; // state, not an event
    const log = $('event-log');
    const empty = log.querySelector('.empty-row');
    if (empty) empty.remove();
    const item = document.createElement('li');
    item.dataset.seq = String(event.seq);
    item.className = `event-task_${event.type === 'progress' ? 'progress_update' : event.type}`;
    const time = document.createElement('time');
    const now = new Date();
    time.dateTime = now.toISOString();
    time.textContent = now.toISOString().slice(11, 19);
    const text = document.createElement('span');
    text.textContent = describe(event);
    item.append(time, ' ', text);
    log.prepend(item);
  }

  // --- applying events ----------------------------------------------------------------
  function apply(event) {
    if (event.status) state.status = event.status;
    if (event.percent !== null && event.percent !== undefined) state.progress = event.percent;
    if (event.text !== null && event.text !== undefined) state.progress_text = event.text;
    if (event.processed !== null) state.processed_units = event.processed;
    if (event.total !== null) state.total_units = event.total;
    if (event.eta !== null) state.eta = event.eta;
    switch (event.type) {
      case 'started':
        state.attempts = event.attempt || state.attempts + 1;
        state.error_message = null;
        break;
      case 'completed':
        state.progress = 100;
        state.error_message = null;
        break;
      case 'failed':
        state.error_message = event.error || state.error_message;
        break;
      case 'cancelled':
        state.error_message = event.reason || event.error || state.error_message || 'cancelled by request';
        break;
      case 'retrying':
        state.error_message = event.error || event.reason || null;
        break;
      default:
        if (event.error) state.error_message = event.error;
    }
    if (event.seq !== null) state.last_seq = Math.max(state.last_seq || 0, event.seq);
    if (typeof event.cost === 'number') $('cost-total').textContent = `$${event.cost.toFixed(6)}`;
    logEvent(event);
    render();
    costRefresh(FINISHED.has(state.status));
  }

  // --- cost ---------------------------------------------------------------------------
  let costTimer = null;
  let costLast = 0;

  function costRefresh(final) {
    // At most one request per 2 s while the task runs; once more after it ends, when the
    // attempt's ledger record has been closed.
    if (final) { setTimeout(costFetch, 500); setTimeout(costFetch, 2000); return; }
    if (costTimer) return;
    const wait = Math.max(0, costLast + 2000 - Date.now());
    costTimer = setTimeout(() => { costTimer = null; costFetch(); }, wait);
  }

  async function costFetch() {
    costLast = Date.now();
    let cost;
    try {
      cost = await api.request('GET', `/api/tasks/${encodeURIComponent(taskId)}/cost`);
    } catch (error) {
      if (error.status !== 404) $('cost-note').textContent = `Cost unavailable: ${error.message}`;
      return;
    }
    $('cost-total').textContent = `$${Number(cost.total_cost_usd).toFixed(6)}`;
    const table = $('cost-table');
    table.replaceChildren(...Object.entries(cost.breakdown_by_service).map(([service, amount]) => {
      const row = document.createElement('tr');
      row.dataset.service = service;
      const name = document.createElement('th');
      name.textContent = service;
      const money = document.createElement('td');
      money.className = 'money';
      money.textContent = `$${Number(amount).toFixed(6)}`;
      row.append(name, money);
      return row;
    }));
    const count = cost.request_count;
    $('cost-note').textContent = `${count} request${count === 1 ? '' : 's'} recorded`;
  }

  // --- actions ------------------------------------------------------------------------
  async function act(button, action) {
    const failure = $('action-error');
    failure.hidden = true;
    button.disabled = true;
    try {
      const answer = await api.request('POST', `/api/tasks/${encodeURIComponent(taskId)}/${action}`);
      if (action === 'retry') {
        Object.assign(state, {
          status: answer.status, progress: answer.progress, progress_text: answer.progress_text,
          error_message: answer.error_message, eta: answer.eta, attempts: answer.attempts,
          max_attempts: answer.max_attempts,
        });
        live.follow(taskId, state.last_seq);
      } else if (answer && answer.status) {
        state.status = answer.status;
        if (answer.status === 'cancelled') state.error_message = state.error_message || 'cancelled by request';
        else state.progress_text = 'cancelling: the task stops at its next progress report';
      }
      render();
    } catch (error) {
      failure.textContent = `Could not ${action} the task: ${error.message}`;
      failure.hidden = false;
    } finally {
      button.disabled = false;
    }
  }

  cancelButton.addEventListener('click', () => act(cancelButton, 'cancel'));
  retryButton.addEventListener('click', () => act(retryButton, 'retry'));

  const indicator = $('connection');
  const live = new window.TaskLive({
    urls,
    onEvent: apply,
    onTransport: (transport) => {
      indicator.dataset.state = transport;
      indicator.textContent = TRANSPORT_LABELS[transport] || transport;
      document.body.dataset.liveTransport = transport;
    },
  });
  window.taskLive = live;
  render();
  if (!FINISHED.has(state.status)) live.follow(taskId, state.last_seq);
  else { indicator.dataset.state = 'finished'; indicator.textContent = 'finished'; }
  setInterval(renderEta, 1000);
})();
