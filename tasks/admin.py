"""The operator's view of tasks: read here, changed only through services (the actions)."""
import json

from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.db.models import ProtectedError, Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils import timezone
from django.utils.timezone import localtime

from core.admin import ReadOnlyAdminMixin
from core.admin_changelist import BigTableAdminMixin
from core.admin_links import changelist_search_link, ledger_records_link
from core.admin_search import WholeIdSearchMixin
from core.exceptions import ApplicationError
from costs.admin_filters import EntityFilter
from costs.models import Entity
from tasks.clusters import cluster_stale_after
from tasks.exports import tasks_csv_response
from tasks.filters import METADATA_PREFIX, metadata_filter
from tasks.models import ClusterHeartbeat, Task, TaskEvent, TaskPriority, TaskStatus
from tasks.registry import GROUP_KIND, job_kind_names
from tasks.services import task_cancel, task_delete, task_retry, task_set_priority

# The change page shows a task's newest events; the events changelist has all of them.
EVENTS_SHOWN = 200
# An action's message names this many refusals, then says how many more there were.
REFUSALS_SHOWN = 10
# Params, metadata and results can be large; the page shows their start.
JSON_SHOWN_CHARS = 20_000
EVENT_DATA_SHOWN_CHARS = 300

STATUS_COLOURS = {
    TaskStatus.PENDING: "#6c757d",
    TaskStatus.PROCESSING: "#1f6fb2",
    TaskStatus.COMPLETED: "#2e7d32",
    TaskStatus.FAILED: "#c62828",
    TaskStatus.CANCELLED: "#8d6e63",
}


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _tasks(count: int) -> str:
    return _counted(count, "task")


def _truncated(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text) - limit} more characters)"


def _json_block(value):
    if value is None:
        return "-"
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False, default=str)
    return format_html("<pre>{}</pre>", _truncated(text, JSON_SHOWN_CHARS))


def _json_inline(value) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return _truncated(text, EVENT_DATA_SHOWN_CHARS)


def _status_badge(status: str):
    return format_html(
        '<span style="background:{};color:#fff;padding:1px 7px;border-radius:9px;'
        'white-space:nowrap">{}</span>',
        STATUS_COLOURS.get(status, "#6c757d"),
        status,
    )


def _task_change_link(task: Task):
    return format_html(
        '<a href="{}">{}</a>', reverse("admin:tasks_task_change", args=[task.pk]), task.task_id
    )


def _run_per_task(modeladmin, request, queryset, *, apply) -> None:
    """Call `apply(task)` on each selected task; report what happened and why any were refused.

    `apply` calls one service and returns a phrase for the outcome ("cancelled"). Each
    service locks and reloads its task, so the stubs passed in carry only the keys.
    """
    outcomes: dict[str, int] = {}
    refusals: list[str] = []
    for pk, task_id in queryset.values_list("pk", "task_id"):
        try:
            task, outcome = apply(Task(pk=pk, task_id=task_id))
        except ApplicationError as refusal:
            refusals.append(refusal.message)
            continue
        except Task.DoesNotExist:
            refusals.append(f"Task {task_id} no longer exists")
            continue
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        modeladmin.log_change(request, task, f"Admin action: {outcome}.")
    if outcomes:
        summary = "; ".join(f"{_tasks(count)} {outcome}" for outcome, count in outcomes.items())
        modeladmin.message_user(request, f"{summary}.", messages.SUCCESS)
    if refusals:
        reasons = "; ".join(refusals[:REFUSALS_SHOWN])
        if len(refusals) > REFUSALS_SHOWN:
            reasons += f"; and {len(refusals) - REFUSALS_SHOWN} more"
        modeladmin.message_user(
            request, f"{_tasks(len(refusals))} refused: {reasons}.", messages.WARNING
        )


@admin.action(permissions=["change"], description="Cancel selected tasks")
def cancel_selected(modeladmin, request, queryset):
    reason = f"cancelled by {request.user.get_username()} in the admin"

    def apply(task):
        task, _message = task_cancel(task=task, reason=reason)
        if task.status == TaskStatus.CANCELLED:
            return task, "cancelled"
        return task, "asked to stop at the next progress report"

    _run_per_task(modeladmin, request, queryset, apply=apply)


@admin.action(permissions=["change"], description="Retry selected failed or cancelled tasks")
def retry_selected(modeladmin, request, queryset):
    _run_per_task(
        modeladmin, request, queryset, apply=lambda task: (task_retry(task=task), "queued again")
    )


def _set_priority_action(priority: TaskPriority):
    def action(modeladmin, request, queryset):
        _run_per_task(
            modeladmin, request, queryset,
            apply=lambda task: (
                task_set_priority(task=task, priority=priority), f"set to {priority.label} priority"
            ),
        )

    action.__name__ = f"set_priority_{priority.label}"
    return admin.action(permissions=["change"], description=f"Set priority to {priority.label}")(
        action
    )


@admin.action(permissions=["view"], description="Export selected tasks as CSV")
def export_csv(modeladmin, request, queryset):
    """Stream the tasks; with "select all", every task the filters and search match."""
    return tasks_csv_response(request, queryset)


set_priority_actions = [_set_priority_action(priority) for priority in TaskPriority]


class KindFilter(admin.SimpleListFilter):
    """Kinds come from the job registry: listing the table's distinct kinds would scan it."""

    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [(name, name) for name in sorted([*job_kind_names(), GROUP_KIND])]

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class ChildTaskInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A group's children on its page: where each stands, each linked to its own page."""

    model = Task
    fk_name = "parent"
    verbose_name = "subtask"
    verbose_name_plural = "subtasks"
    fields = ("child_link", "kind", "status_badge", "progress_percent", "attempts",
              "error_message", "completed_at")
    readonly_fields = fields
    ordering = ("id",)
    extra = 0
    show_change_link = False

    @admin.display(description="task")
    def child_link(self, task):
        return _task_change_link(task)

    @admin.display(description="status")
    def status_badge(self, task):
        return _status_badge(task.status)

    @admin.display(description="progress")
    def progress_percent(self, task):
        return f"{round(task.progress * 100)}%"


@admin.register(Task)
class TaskAdmin(WholeIdSearchMixin, BigTableAdminMixin, admin.ModelAdmin):
    """Tasks are read here; their state changes only through the actions, which call services.

    The change page is view-only: a form save would write back every column as it was when
    the page loaded, over whatever the worker has written since.
    """

    list_display = (
        "task_id", "kind", "status_badge", "entity", "priority", "progress_bar",
        "attempts_used", "created_at",
    )
    list_filter = ("status", KindFilter, "priority", EntityFilter)
    date_hierarchy = "created_at"
    # Only enables the search box; get_search_results matches whole ids.
    search_fields = ("task_id", "entity__entity_id")
    id_search_columns = ("task_id",)
    id_search_related = (("entity", Entity, "entity_id"),)
    search_help_text = ("Whole task ids or entity ids (company_123), separated by spaces; "
                        "metadata.<key>=value matches a top-level metadata key, as the API's "
                        "?metadata.<key>=value does.")
    list_select_related = ("entity",)
    # Only indexed columns: sorting a large table on anything else scans it.
    sortable_by = ("task_id", "kind", "status_badge", "priority", "created_at")
    actions = (cancel_selected, retry_selected, *set_priority_actions, export_csv)
    fieldsets = (
        (None, {"fields": (
            "task_id", "kind", "status_badge", "priority", "entity", "created_by", "parent",
            "subtasks", "prerequisites", "ledger", "schedule",
        )}),
        ("Progress", {"fields": (
            "progress_bar", "progress_text", ("processed_units", "total_units"), "eta",
        )}),
        ("Attempts", {"fields": (
            "attempts_used", "error_message", "cancel_requested", "timeout_seconds", "run_after",
        )}),
        ("Times", {"fields": (
            ("created_at", "updated_at"), ("started_at", "completed_at"), "heartbeat_at",
        )}),
        ("Data", {"fields": ("params_json", "metadata_json", "result_json")}),
        ("Dispatch", {"classes": ("collapse",), "fields": (
            "q_task_id", "dispatch_token", "dispatched_at",
        )}),
        ("Events", {"fields": ("recent_events",)}),
    )
    readonly_fields = tuple(flatten_fieldsets(fieldsets))
    inlines = (ChildTaskInline,)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None and obj.kind == GROUP_KIND else ()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Without an object this gates the actions; with one it makes the page view-only.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_finished)

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk delete would bypass task_delete and remove running tasks; retention purges.
        actions.pop("delete_selected", None)
        return actions

    def get_search_results(self, request, queryset, search_term):
        """Match whole task ids or entity ids, so a search is index lookups on a large table;
        `metadata.<key>=value` terms narrow by metadata (the GIN index on PostgreSQL)."""
        ids = []
        for term in search_term.split():
            key, equals, value = term.partition("=")
            if equals and key.startswith(METADATA_PREFIX) and key != METADATA_PREFIX:
                queryset = metadata_filter(queryset, key=key[len(METADATA_PREFIX):],
                                           values=[value])
            else:
                ids.append(term)
        return self.id_search(queryset, ids), False

    def get_deleted_objects(self, objs, request):
        """Summarise rather than list what goes with a task: events can number thousands.

        Events are deleted with their task although the read-only event admin grants no
        delete permission, which Django's listing would otherwise demand.
        """
        tasks = list(objs)
        subtasks = Task.objects.filter(parent__in=tasks).count()
        events = TaskEvent.objects.filter(Q(task__in=tasks) | Q(task__parent__in=tasks)).count()
        details = [_counted(events, "task event")]
        if subtasks:
            details.append(_counted(subtasks, "subtask"))
        deleted = []
        for task in tasks:
            deleted += [format_html("Task: {}", _task_change_link(task)), details]
        model_count = {"tasks": len(tasks) + subtasks, "task events": events}
        return deleted, model_count, set(), []

    def delete_model(self, request, obj):
        task_delete(task=obj)

    def delete_view(self, request, object_id, extra_context=None):
        # task_delete re-checks under lock; a task that was retried since the page loaded
        # is refused there, and the operator is told why instead of seeing a 500.
        try:
            return super().delete_view(request, object_id, extra_context)
        except ApplicationError as refusal:
            self.message_user(request, refusal.message, messages.ERROR)
        except ProtectedError as refusal:
            self.message_user(request, str(refusal.args[0]), messages.ERROR)
        except Task.DoesNotExist:
            self.message_user(request, "The task no longer exists.", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:tasks_task_changelist"))
        return HttpResponseRedirect(reverse("admin:tasks_task_change", args=[object_id]))

    @admin.display(description="status", ordering="status")
    def status_badge(self, task):
        return _status_badge(task.status)

    @admin.display(description="progress")
    def progress_bar(self, task):
        percent = round(task.progress * 100)
        return format_html(
            '<progress max="100" value="{}" title="{}"></progress> {}%',
            percent, task.progress_text, percent,
        )

    @admin.display(description="attempts")
    def attempts_used(self, task):
        return f"{task.attempts}/{task.max_attempts}"

    @admin.display(description="subtasks")
    def subtasks(self, task):
        if task.kind != GROUP_KIND:
            return "-"
        url = reverse("admin:tasks_task_changelist")
        return format_html(
            '<a href="{}?parent__id__exact={}">{}</a>',
            url, task.pk, _counted(task.children.count(), "subtask"),
        )

    @admin.display(description="cost")
    def ledger(self, task):
        return ledger_records_link(task.task_id, "request records for this task")

    @admin.display(description="schedule")
    def schedule(self, task):
        """The schedule whose firing made this task (its changelist, searched for its id)."""
        schedule_id = task.metadata.get("schedule_id") if isinstance(task.metadata, dict) else None
        if not schedule_id:
            return "-"
        link = changelist_search_link("admin:schedules_schedule_changelist", schedule_id)
        return format_html("{} (due {})", link, task.metadata.get("scheduled_for", "?"))

    @admin.display(description="params")
    def params_json(self, task):
        return _json_block(task.params)

    @admin.display(description="metadata")
    def metadata_json(self, task):
        return _json_block(task.metadata)

    @admin.display(description="result")
    def result_json(self, task):
        return _json_block(task.result)

    @admin.display(description="events")
    def recent_events(self, task):
        newest = list(task.events.order_by("-id")[: EVENTS_SHOWN + 1])
        all_url = f"{reverse('admin:tasks_taskevent_changelist')}?task__id__exact={task.pk}"
        if len(newest) > EVENTS_SHOWN:
            note = format_html(
                'The last {} events, oldest first. <a href="{}">See all events</a>.',
                EVENTS_SHOWN, all_url,
            )
        else:
            note = format_html(
                '{}, oldest first. <a href="{}">Open in the event list</a>.',
                _counted(len(newest), "event"), all_url,
            )
        rows = format_html_join(
            "",
            '<tr id="task-event-{}" class="task-event"><td>{}</td><td>{}</td><td>{}</td>'
            "<td><code>{}</code></td></tr>",
            (
                (
                    event.id, event.id,
                    localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3],
                    event.event_type, _json_inline(event.data),
                )
                for event in reversed(newest[:EVENTS_SHOWN])
            ),
        )
        return format_html(
            "<p>{}</p><table><thead><tr><th>seq</th><th>time</th><th>type</th><th>data</th>"
            "</tr></thead><tbody>{}</tbody></table>",
            note, rows,
        )


@admin.register(TaskEvent)
class TaskEventAdmin(BigTableAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every task's events, newest first, for tracing what happened when; read-only."""

    list_display = ("seq", "task_link", "event_type", "created_at", "data_summary")
    list_filter = ("event_type",)
    search_fields = ("task__task_id__exact",)
    search_help_text = "A whole task id."
    list_select_related = ("task",)
    ordering = ("-id",)
    sortable_by = ("seq",)
    fields = ("seq", "task", "event_type", "created_at", "data_json")
    readonly_fields = fields


    @admin.display(description="seq", ordering="id")
    def seq(self, event):
        return event.id

    @admin.display(description="task")
    def task_link(self, event):
        return _task_change_link(event.task)

    @admin.display(description="data")
    def data_summary(self, event):
        return _json_inline(event.data)

    @admin.display(description="data")
    def data_json(self, event):
        return _json_block(event.data)


@admin.register(ClusterHeartbeat)
class ClusterHeartbeatAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The qcluster processes as their ticks last reported them (a clean stop removes one)."""

    list_display = ("name", "host", "pid", "workers", "started_at", "last_seen_at", "alive")
    list_filter = ("cluster", "host")

    @admin.display(boolean=True)
    def alive(self, heartbeat):
        age = (timezone.now() - heartbeat.last_seen_at).total_seconds()
        return age <= cluster_stale_after()
