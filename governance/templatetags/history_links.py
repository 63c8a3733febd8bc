"""``{% history_link obj %}``: a link to the change history of ``obj``, shown only to those who
may read it (governance.history)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from governance import history

register = template.Library()


@register.simple_tag(takes_context=True)
def history_link(context, obj, text=""):
    request = context.get("request")
    user = getattr(request, "user", None)
    if obj is None or getattr(obj, "pk", None) is None or user is None or not history.may_read_history_of(user, obj):
        return ""
    url = reverse("history", args=[history.label_of(obj), obj.pk])
    return format_html('<a class="history-link" href="{}">{}</a>', url, text or _("History"))


@register.simple_tag(takes_context=True)
def may_view_history(context, obj):
    """Ask once per page (``{% may_view_history scorecard as show_history %}``) for records that all
    belong to the same unit, so that a list of them costs no query per row; each history page
    checks the record itself again."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(obj is not None and user is not None and history.may_read_history_of(user, obj))


@register.simple_tag
def history_url(obj):
    return reverse("history", args=[history.label_of(obj), obj.pk])
