from django.apps import AppConfig


class EmbeddingsConfig(AppConfig):
    name = "embeddings"
    verbose_name = "Embeddings"

    def ready(self):
        from django.conf import settings

        from embeddings import jobs, receivers  # noqa: F401  (job kinds, status receiver)

        if settings.AI_PROVIDER == "openai":
            # Importing the SDK takes about a second here; done once in the qcluster parent,
            # every forked worker has it instead of paying it in its first job.
            from embeddings import openai_provider  # noqa: F401
