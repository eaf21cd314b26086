import django_filters

from articles.models import Article, ProcessingStatus
from core.filters import FlexibleDateTimeFilter, choice_message


class ArticleFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        field_name="processing_status", choices=ProcessingStatus.choices,
        error_messages=choice_message("status", ProcessingStatus.values),
    )
    entity = django_filters.CharFilter(field_name="entity__entity_id")
    entity_id = django_filters.CharFilter(field_name="entity__entity_id")
    created_after = FlexibleDateTimeFilter(
        field_name="created_at", lookup_expr="gte", field_label="created_after")
    created_before = FlexibleDateTimeFilter(
        field_name="created_at", lookup_expr="lte", field_label="created_before")

    class Meta:
        model = Article
        fields = ["status", "entity", "entity_id"]
