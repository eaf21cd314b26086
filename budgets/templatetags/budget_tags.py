"""The budgets' part of the dashboard: `{% budget_cards %}`, the signed-in user's budgets.

The dashboard view belongs to the task framework, which sits below budgets; the page asks
for its budget cards through this tag, so the view never imports the budgets app.
"""
from django import template

from budgets.selectors import budget_statuses_for_user

register = template.Library()


@register.inclusion_tag("budgets/dashboard_budgets.html", takes_context=True)
def budget_cards(context) -> dict:
    """The budgets of the user's entities (every budget for staff), with their figures now."""
    return {"budgets": budget_statuses_for_user(user=context["request"].user)}
