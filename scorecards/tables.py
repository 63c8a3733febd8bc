"""django-tables2 tables: what the user sees in a list is what an export of it would hold."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from scorecards.models import Activity


DATE_ATTRS = {"th": {"scope": "col"}, "td": {"class": "date"}}


class ActivityTable(tables.Table):
    """A team's activities; sortable by every column but the goals (a list has no order)."""

    title = tables.Column(verbose_name=_("Activity"), attrs={"th": {"scope": "col"}})
    status = tables.Column(verbose_name=_("Status"), attrs={"th": {"scope": "col"}})
    goals = tables.Column(verbose_name=_("Unit goals"), orderable=False, empty_values=(),
                          attrs={"th": {"scope": "col"}})
    start_date = tables.DateColumn(verbose_name=_("Start"), attrs=DATE_ATTRS)
    end_date = tables.DateColumn(verbose_name=_("End"), attrs=DATE_ATTRS)
    latest_update = tables.DateColumn(verbose_name=_("Latest update"), attrs=DATE_ATTRS)

    class Meta:
        model = Activity
        fields = ("title", "status", "goals", "start_date", "end_date", "latest_update")
        order_by = ("title",)
        template_name = "scorecards/team/activity_table.html"
        empty_text = _("No activities match.")
        attrs = {"class": "activity-table", "id": "activities"}

    def render_title(self, record, value):
        return format_html('<a href="{}">{}</a>', reverse("scorecards:activity", args=[record.pk]), value)

    def render_status(self, record):
        return render_to_string("includes/status.html",
                                {"status": f"activity-{record.status}", "label": record.get_status_display()})

    def render_goals(self, record):
        goals = list(record.goals.all())
        if not goals:
            return "–"
        return format_html('<ul class="plain-list">{}</ul>', format_html_join("", "<li>{}</li>", ((g.title,) for g in goals)))
