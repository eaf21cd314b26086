"""Operators edit the cost-index catalogue and inspect articles; re-analysis is an action."""
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from articles.models import Article, ArticleFile, CostIndex, CostModelLine
from articles.services import article_reanalyze
from core.admin import ReadOnlyAdminMixin
from core.admin_changelist import BigTableAdminMixin
from core.admin_links import ledger_records_link
from core.admin_search import WholeIdSearchMixin
from core.exceptions import ApplicationError
from costs.admin_filters import EntityFilter
from costs.models import Entity
from tasks.models import Task


@admin.register(CostIndex)
class CostIndexAdmin(admin.ModelAdmin):
    list_display = ("id", "code", "name", "unit", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("code", "name", "description", "keywords")
    prepopulated_fields = {"code": ("name",)}

    def has_delete_permission(self, request, obj=None):
        # Lines keep their index (PROTECT); deactivate an index instead of deleting it.
        return False


class CostModelLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CostModelLine
    fields = ("cost_index", "part")
    readonly_fields = fields
    extra = 0


class ArticleFileInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ArticleFile
    fields = ("role", "file", "original_name", "content_type", "size", "sha256", "uploaded_at")
    readonly_fields = fields
    extra = 0


@admin.action(description="Re-run analysis (fresh, not from the cache)")
def reanalyze_selected(modeladmin, request, queryset):
    started, refused = 0, []
    for article in queryset:
        try:
            article_reanalyze(article=article, fresh=True, created_by=request.user)
            started += 1
        except ApplicationError as exc:
            refused.append(exc.message)
    if started:
        modeladmin.message_user(request, f"{started} analysis task(s) queued.", messages.SUCCESS)
    for message in refused[:10]:
        modeladmin.message_user(request, message, messages.WARNING)


class ProviderFilter(admin.SimpleListFilter):
    """The providers AI_PROVIDER accepts: listing the table's distinct values would scan it."""

    title = "analysis provider"
    parameter_name = "analysis_provider"

    def lookups(self, request, model_admin):
        return [("local", "local (offline)"), ("openai", "openai"), ("none", "(not analysed)")]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        return queryset.filter(analysis_provider="" if value == "none" else value)


@admin.register(Article)
class ArticleAdmin(WholeIdSearchMixin, BigTableAdminMixin, admin.ModelAdmin):
    list_display = ("id", "article_name", "entity", "processing_status", "unit_weight",
                    "analysis_model", "task_link", "created_at")
    list_filter = ("processing_status", ProviderFilter, EntityFilter)
    # Only enables the search box; get_search_results decides what matches.
    search_fields = ("article_name",)
    id_search_related = (("task", Task, "task_id"), ("entity", Entity, "entity_id"))
    search_help_text = "Part of an article's name, or a whole task id or entity id."
    date_hierarchy = "created_at"
    list_select_related = ("entity", "task")
    inlines = (CostModelLineInline, ArticleFileInline)
    actions = (reanalyze_selected,)
    readonly_fields = (
        "unit_weight", "processing_status", "processing_error", "processing_started_at",
        "processing_completed_at", "created_at", "updated_at", "entity", "created_by",
        "task_link", "ledger", "analysis_provider", "analysis_model", "analysis_key", "analysis_notes",
        "cached_from", "weight_extracted", "extracted_weight",
    )
    fields = ("article_name", "description", *readonly_fields)

    @admin.display(description="task")
    def task_link(self, article):
        if article.task is None:
            return "-"
        url = reverse("admin:tasks_task_change", args=[article.task.pk])
        return format_html('<a href="{}">{}</a>', url, article.task.task_id)

    def get_search_results(self, request, queryset, search_term):
        """The whole term as a task id or entity id, by index; otherwise part of the name."""
        term = search_term.strip()
        if not term:
            return queryset, False
        related_pks = self.id_search_related_pks([term])
        if any(related_pks.values()):
            return queryset.filter(self.id_search_matches([term], related_pks)), False
        return queryset.filter(article_name__icontains=term), False

    @admin.display(description="cost")
    def ledger(self, article):
        if article.task is None:
            return "-"
        return ledger_records_link(article.task.task_id, "request records of its analysis")

    def has_add_permission(self, request):
        return False  # articles come with a specification: POST /api/analyze
