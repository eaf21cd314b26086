"""The operator's schedules: next run, last status and 30-day cost; run now, pause, resume.

The change form checks the timing as the API does (ScheduleWriteSerializer) and, with
"Preview next five firings", shows when the schedule would fire without saving it.
"""
from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from costs.usage import amount_text
from schedules import selectors, services
from schedules.models import Schedule, ScheduleRun
from schedules.serializers import ScheduleWriteSerializer
from tasks.models import TaskPriority
from tasks.registry import job_kind_names

FIRINGS_SHOWN = 5
PREVIEW_BUTTON = "_preview"
FORM_FIELDS = ["name", "kind", "params", "entity", "priority", "cron", "timezone",
               "interval_seconds", "start_at", "end_at", "enabled", "overlap_policy",
               "catch_up_policy"]


def _firings(schedule: Schedule) -> list:
    return schedule.timing().upcoming(max(timezone.now(), schedule.start_at), FIRINGS_SHOWN)


def _firings_text(firings: list) -> str:
    return "; ".join(f"{moment:%a %Y-%m-%d %H:%M:%S %Z}" for moment in firings) or "none"


class ScheduleAdminForm(forms.ModelForm):
    kind = forms.ChoiceField(choices=())
    priority = forms.TypedChoiceField(
        choices=TaskPriority.choices, coerce=lambda value: TaskPriority(int(value)),
        initial=TaskPriority.NORMAL)
    params = forms.JSONField(required=False, initial=dict)

    class Meta:
        model = Schedule
        fields = FORM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, kind) for kind in job_kind_names(api_creatable=True)]
        self.fields["start_at"].required = False
        self.fields["start_at"].help_text = "Empty: now."
        self.firings: list = []

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        checked = ScheduleWriteSerializer(self.instance if self.instance.pk else None, data={
            "name": cleaned["name"], "kind": cleaned["kind"], "params": cleaned.get("params") or {},
            "priority": TaskPriority(cleaned["priority"]).label,
            "entity_id": cleaned["entity"].entity_id, "cron": cleaned.get("cron") or "",
            "timezone": cleaned.get("timezone") or "UTC",
            "interval_seconds": cleaned.get("interval_seconds"),
            "start_at": cleaned.get("start_at"), "end_at": cleaned.get("end_at"),
            "enabled": cleaned.get("enabled", False),
            "overlap_policy": cleaned["overlap_policy"],
            "catch_up_policy": cleaned["catch_up_policy"],
        })
        if not checked.is_valid():
            for field, errors in checked.errors.items():
                field = field if field in self.fields else None
                self.add_error(field, [str(error) for error in _flat(errors)])
            return cleaned
        cleaned.update({key: checked.validated_data[key] for key in ("cron", "params")})
        preview = Schedule(**{name: cleaned.get(name) for name in (
            "cron", "timezone", "interval_seconds", "end_at")})
        preview.start_at = cleaned.get("start_at") or (
            self.instance.start_at if self.instance.pk else timezone.now())
        self.firings = _firings(preview)
        if PREVIEW_BUTTON in self.data:
            raise forms.ValidationError(
                f"Preview, nothing saved. Next {FIRINGS_SHOWN} firings: "
                f"{_firings_text(self.firings)}", code="preview")
        return cleaned


def _flat(errors):
    if isinstance(errors, dict):
        return [f"{key}: {error}" for key, value in errors.items() for error in _flat(value)]
    if isinstance(errors, list):
        return [error for value in errors for error in _flat(value)]
    return [errors]


@admin.action(description="Run selected schedules now")
def run_now_selected(modeladmin, request, queryset):
    runs = [services.schedule_run_now(schedule=schedule) for schedule in queryset]
    modeladmin.message_user(request, f"Started {len(runs)} run(s): "
                            f"{', '.join(run.task_public_id or run.outcome for run in runs)}",
                            messages.SUCCESS)


@admin.action(description="Pause selected schedules")
def pause_selected(modeladmin, request, queryset):
    for schedule in queryset:
        services.schedule_pause(schedule=schedule)
    modeladmin.message_user(request, f"Paused {queryset.count()} schedule(s).", messages.SUCCESS)


@admin.action(description="Resume selected schedules")
def resume_selected(modeladmin, request, queryset):
    for schedule in queryset:
        services.schedule_resume(schedule=schedule)
    modeladmin.message_user(request, f"Resumed {queryset.count()} schedule(s).", messages.SUCCESS)


@admin.register(Schedule)
class ScheduleAdmin(admin.ModelAdmin):
    form = ScheduleAdminForm
    list_display = ("name", "schedule_id", "kind", "entity", "when", "enabled", "next_run_at",
                    "last_status", "cost_30_days")
    list_filter = ("enabled", "kind", "entity")
    search_fields = ("schedule_id", "name")
    list_select_related = ("entity",)
    list_per_page = 50
    actions = (run_now_selected, pause_selected, resume_selected)
    readonly_fields = ("schedule_id", "next_run_at", "last_run_at", "next_firings",
                       "recent_runs")
    fieldsets = (
        (None, {"fields": ("schedule_id", "name", "kind", "params", "entity", "priority")}),
        ("When", {"fields": ("cron", "timezone", "interval_seconds", "start_at", "end_at",
                             "enabled", "overlap_policy", "catch_up_policy")}),
        ("Runs", {"fields": ("next_run_at", "last_run_at", "next_firings", "recent_runs")}),
    )

    def save_model(self, request, obj, form, change):
        """Saved through the services, which plan the next firing."""
        data = {name: form.cleaned_data.get(name) for name in FORM_FIELDS}
        if not data["start_at"]:
            del data["start_at"]  # empty: now for a new schedule, unchanged for a saved one
        data["timezone_name"] = data.pop("timezone") or "UTC"
        data["cron"] = data["cron"] or ""
        if change:
            saved = services.schedule_update(schedule=Schedule(pk=obj.pk), **data)
        else:
            saved = services.schedule_create(created_by=request.user, **data)
        obj.__dict__.update(saved.__dict__)

    @admin.display(description="when")
    def when(self, schedule):
        if schedule.cron:
            return f"{schedule.cron} ({schedule.timezone})"
        return f"every {schedule.interval_seconds} s"

    @admin.display(description="last status")
    def last_status(self, schedule):
        return schedule.last_run_status or "-"

    @admin.display(description="cost, 30 days (USD)")
    def cost_30_days(self, schedule):
        return amount_text(schedule.cost_last_30_days_usd)

    def get_queryset(self, request):
        # Read with the rows, in one query; the cost counts what this operator may see.
        return selectors.schedules_summarized(super().get_queryset(request), user=request.user)

    @admin.display(description=f"next {FIRINGS_SHOWN} firings")
    def next_firings(self, schedule):
        if not schedule.pk:
            return "-"
        return format_html_join("", "<div>{}</div>", (
            (f"{moment:%a %Y-%m-%d %H:%M:%S %Z}",) for moment in _firings(schedule))) or "none"

    @admin.display(description="recent runs")
    def recent_runs(self, schedule):
        if not schedule.pk:
            return "-"
        rows = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", (
            (localtime(run.scheduled_for), run.trigger, run.status, _task_link(run))
            for run in schedule.runs.order_by("-scheduled_for")[:20]))
        return format_html(
            '<table><tr><th>due</th><th>trigger</th><th>status</th><th>task</th></tr>{}'
            '</table>', rows or "")


def _task_link(run: ScheduleRun):
    if not run.task_id:
        return run.task_public_id or "-"
    url = reverse("admin:tasks_task_change", args=[run.task_id])
    return format_html('<a href="{}">{}</a>', url, run.task_public_id)

