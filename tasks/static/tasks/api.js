/* Calls TaskLedger's JSON API with the page's session and CSRF token; errors become words. */
(function () {
  'use strict';

  class ApiError extends Error {
    constructor(message, status, data) {
      super(message);
      this.status = status;
      this.data = data;
    }
  }

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : '';
  }

  // DRF's field errors ({"field": ["message"]}) when a response has no `detail`.
  function fieldErrors(data) {
    if (!data || typeof data !== 'object') return '';
    return Object.entries(data)
      .map(([field, value]) => `${field}: ${Array.isArray(value) ? value.join(' ') : value}`)
      .join('; ');
  }

  function errorText(response, data) {
    if (data && typeof data.detail === 'string' && data.detail) return data.detail;
    const fields = fieldErrors(data);
    if (fields) return fields;
    if (response.status === 413) return 'The file is too large for this server.';
    if (response.status === 403) return 'You are not allowed to do this (your session may have expired: reload the page).';
    if (response.status === 404) return 'Not found: this part of the service is not available.';
    return `The server answered ${response.status} ${response.statusText || ''}`.trim() + '.';
  }

  async function request(method, url, body) {
    const headers = { Accept: 'application/json', 'X-CSRFToken': csrfToken() };
    let payload = body;
    if (body !== undefined && !(body instanceof FormData)) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, { method, headers, body: payload, credentials: 'same-origin' });
    } catch (error) {
      throw new ApiError(`Could not reach the server (${error.message}).`, 0, null);
    }
    let data = null;
    if ((response.headers.get('Content-Type') || '').includes('json')) {
      try { data = await response.json(); } catch (error) { data = null; }
    }
    if (!response.ok) throw new ApiError(errorText(response, data), response.status, data);
    return data;
  }

  window.TaskLedgerApi = { request, csrfToken, ApiError };
})();
