from django.apps import AppConfig


def _default_entity_ensure(**kwargs):
    from costs.services import entity_default_ensure

    entity_default_ensure()


class CostsConfig(AppConfig):
    name = "costs"
    verbose_name = "Cost ledger"

    def ready(self):
        from django.core.signals import request_finished
        from django.db.models.signals import post_delete, post_migrate, post_save

        from core.logcontext import log_context_clear
        from costs.models import Price
        from costs.pricing import price_cache_clear

        post_migrate.connect(_default_entity_ensure, sender=self,
                             dispatch_uid="taskledger.default_entity")
        for signal in (post_save, post_delete):
            signal.connect(price_cache_clear, sender=Price, dispatch_uid=f"price_cache_{signal}")

        # The request middleware names the request for the log; this ends it.
        request_finished.connect(log_context_clear, dispatch_uid="taskledger.log_context_clear")
