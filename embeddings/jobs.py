"""The embedding job kinds, registered with the task framework."""
from embeddings.estimates import document_uses
from embeddings.pipeline import document_embed
from embeddings.services import EMBED_KIND, UPLOAD_KIND
from tasks.estimators import estimator_register
from tasks.registry import job_register

# A large document may take long; a timed-out attempt is retried and resumes where it stopped.
EMBEDDING_TIMEOUT = 3600

job_register(
    UPLOAD_KIND, operation_type="file_upload", task_type="upload", timeout=EMBEDDING_TIMEOUT,
    retry_timeouts=True, unit="chunks",
    description="Extract, chunk and embed an uploaded file.",
)(document_embed)
job_register(
    EMBED_KIND, operation_type="embedding_task", task_type="embedding",
    timeout=EMBEDDING_TIMEOUT, retry_timeouts=True, unit="chunks",
    description="Chunk and embed text submitted to /api/v1/embedding-tasks/.",
)(document_embed)

# What each costs before it is queued (budgets): the same pages and chunks the job counts.
estimator_register(UPLOAD_KIND)(document_uses)
estimator_register(EMBED_KIND)(document_uses)
