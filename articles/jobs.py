"""The analysis job kind; the framework runs it in a django-q2 worker."""
from django.conf import settings

from articles.estimates import analysis_uses
from articles.services import ANALYZE_KIND
from integrations.openai import SDK_MAX_RETRIES
from tasks.estimators import estimator_register
from tasks.registry import job_register

# Room for every call an attempt may make (two questions, each asked at most twice, each
# call sent SDK_MAX_RETRIES + 1 times) to run into OPENAI_TIMEOUT.
ANALYSIS_TIMEOUT = max(settings.TASK_TIMEOUT,
                       int(4 * (SDK_MAX_RETRIES + 1) * settings.OPENAI_TIMEOUT) + 60)


@job_register(
    ANALYZE_KIND,
    timeout=ANALYSIS_TIMEOUT,
    retry_timeouts=True,
    operation_type="article_analysis",
    task_type="article_analysis",
    description="Reads an article's specification, extracts its weight and builds its cost model.",
)
def article_analyze(progress, *, article_id: int, fresh: bool = False) -> dict:
    from articles.analysis import article_analysis_run

    return article_analysis_run(article_id=article_id, progress=progress, fresh=fresh)


# What it costs before it is queued (budgets): its prompts' tokens and the expected answers.
estimator_register(ANALYZE_KIND)(analysis_uses)
