from django.apps import AppConfig


class EmbeddingsConfig(AppConfig):
    name = "embeddings"
    verbose_name = "Embeddings"

    def ready(self):
        # Job kinds, the status receiver, and the OpenAI provider (it registers itself).
        from embeddings import jobs, openai_provider, receivers  # noqa: F401
