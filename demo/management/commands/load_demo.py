from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from demo.services import demo_load


class Command(BaseCommand):
    help = (
        "Load the demo (safe to run again: nothing is duplicated): the operator account, the "
        "entity demo_company with a member user 'demo', a knowledge base with sample documents, "
        "sample articles to analyse and a demo.count task. The running qcluster does the work."
    )

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000",
                            help="where the service answers, for the links and examples printed")

    def handle(self, *args, **options):
        url = options["url"].rstrip("/")
        call_command("ensure_operator", url=url, stdout=self.stdout, stderr=self.stderr)
        summary = demo_load()
        write = self.stdout.write
        write(f"Entity {summary.entity.entity_id!r} ({summary.entity.name}).")
        if summary.member_password:
            write(self.style.SUCCESS(
                f"Member user created (password shown once, keep it):\n"
                f"  user:      {summary.member.username}\n"
                f"  password:  {summary.member_password}"
            ))
        else:
            write(f"Member user {summary.member.username!r} exists "
                  f"(python manage.py changepassword {summary.member.username} sets a new password).")
        write(f"  API token: {summary.member_token}")
        write(f"Knowledge base {summary.knowledge_base.kb_id!r} ({summary.knowledge_base.name}).")
        for document in summary.documents_created:
            write(f"  queued   document {document.doc_id} {document.original_filename} "
                  f"(task {document.task.task_id})")
        for document in summary.documents_existing:
            write(f"  exists   document {document.doc_id} {document.original_filename} "
                  f"({document.status})")
        for article in summary.articles_created:
            write(f"  queued   article {article.pk} {article.article_name} "
                  f"(task {article.task.task_id})")
        for article in summary.articles_existing:
            write(f"  exists   article {article.pk} {article.article_name} "
                  f"({article.processing_status})")
        state = "queued" if summary.count_task_created else "exists"
        write(f"  {state:<8} demo.count task {summary.count_task.task_id} "
              f"({summary.count_task.status})")
        write(
            "Start the workers with `make run` (or `python manage.py qcluster`) if they are not "
            f"running; then open {url}/ (log in as the operator or the member), "
            "the admin overview at /admin/, and try:\n"
            f"  curl -H 'Authorization: Token {summary.member_token}' "
            f"{url}/api/entities/{summary.entity.entity_id}/costs"
        )
        if settings.AI_PROVIDER == "local":
            write("AI_PROVIDER=local: embeddings and analyses come from the offline provider "
                  "(labelled as such in the ledger); no key or network is used.")
