from django.core.management.base import BaseCommand, CommandError

from core.exceptions import ApplicationError
from costs.entities import entity_create, users_by_username


class Command(BaseCommand):
    help = ("Create an entity (the tenant clients name, e.g. company_123), optionally with "
            "members who may then use it through the API.")

    def add_arguments(self, parser):
        parser.add_argument("entity_id", help="the entity's own id, e.g. company_123")
        parser.add_argument("--name", default="", help="a name people read")
        parser.add_argument("--member", action="append", default=[], metavar="USER",
                            help="a username who belongs to the entity (repeat for several)")

    def handle(self, *args, **options):
        try:
            entity = entity_create(entity_id=options["entity_id"], name=options["name"],
                                   members=users_by_username(options["member"]))
        except ApplicationError as refusal:
            raise CommandError(refusal.message) from None
        members = ", ".join(user.get_username() for user in entity.members.order_by("username"))
        self.stdout.write(self.style.SUCCESS(
            f"Entity {entity.entity_id!r} created"
            + (f" ({entity.name})" if entity.name else "")
            + (f" with members {members}." if members else " (no members yet).")))
