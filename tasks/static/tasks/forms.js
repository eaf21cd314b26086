/* The upload and analyze forms: multipart POST to the API, then the new task's live page.
 *
 * Upload: POST /api/entities/{entity_id}/files (file, knowledge_base_id, priority, metadata)
 * Analyze: POST /api/analyze (articleName, description, productSpecification, drawing)
 * Both answer with a task_id; a refusal's `detail` is shown in words.
 */
(function () {
  'use strict';

  const api = window.TaskLedgerApi;

  function showError(form, message) {
    const failure = form.querySelector('[data-role="form-error"]');
    failure.textContent = message;
    failure.hidden = false;
  }

  function dropEmpty(fields) {
    for (const [name, value] of Array.from(fields.entries())) {
      const emptyFile = value instanceof File && !value.name && value.size === 0;
      if (emptyFile || value === '') fields.delete(name);
    }
  }

  function metadataProblem(fields) {
    const raw = fields.get('metadata');
    if (raw === null) return '';
    let parsed;
    try { parsed = JSON.parse(raw); } catch (error) {
      return `Metadata must be a JSON object, e.g. {"source": "pdf"}: ${error.message}`;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return 'Metadata must be a JSON object, e.g. {"source": "pdf"}.';
    }
    return '';
  }

  function wire(form, prepare) {
    if (!form) return;
    form.addEventListener('submit', async (submit) => {
      submit.preventDefault();
      form.querySelector('[data-role="form-error"]').hidden = true;
      const fields = new FormData(form);
      dropEmpty(fields);
      let url;
      try {
        url = prepare(fields);
      } catch (problem) {
        showError(form, problem.message);
        return;
      }
      const button = form.querySelector('button[type="submit"]');
      button.disabled = true;
      try {
        const answer = await api.request('POST', url, fields);
        if (!answer || !answer.task_id) {
          throw new Error('The server accepted the request but named no task to follow.');
        }
        window.location.assign(form.dataset.redirect.replace('{task_id}', encodeURIComponent(answer.task_id)));
      } catch (error) {
        showError(form, error.message);
        button.disabled = false;
      }
    });
  }

  wire(document.getElementById('upload-form'), (fields) => {
    const entityId = fields.get('entity_id');
    fields.delete('entity_id'); // it is part of the URL
    const problem = metadataProblem(fields);
    if (problem) throw new Error(problem);
    const form = document.getElementById('upload-form');
    return form.dataset.api.replace('{entity_id}', encodeURIComponent(entityId));
  });

  wire(document.getElementById('analyze-form'), () => document.getElementById('analyze-form').dataset.api);
})();
