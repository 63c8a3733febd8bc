"""The change history pages: who changed what and when, field by field (governance.history).

Generic over the models the apps registered; a record out of the user's scope, or a model
without a registered history, is a 404 like any other page the user may not see.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path

from governance import history, scope
from governance.scope import Action


def _rule_or_404(label):
    rule = history.rule_for(label)
    if rule is None:
        raise Http404
    return rule


@login_required
def record_history(request, label, pk):
    rule = _rule_or_404(label)
    # Only the versions the user may read (e.g. not a follow-up's drafts, for a controller); none
    # at all is a 404 like a record out of scope.
    records, rows = history.history_rows(rule.model, pk, user=request.user, rule=rule)
    if not records:
        raise Http404
    live = rule.model._base_manager.filter(pk=pk).first()
    subject = live if live is not None else records[-1].instance
    if not history.may_read_history(request.user, rule, subject):
        raise Http404
    return render(request, "governance/history.html", {
        "rule": rule,
        "verbose_name": rule.model._meta.verbose_name,
        "name": str(live) if live is not None else history.record_name(records[-1]),
        "is_deleted": live is None,
        "rows": list(reversed(rows)),  # newest first
    })


@login_required
def deleted_list(request, label):
    rule = _rule_or_404(label)
    if not (scope.scope_for(request.user).is_everything or scope.scope_for(request.user).has_any(Action.VIEW_HISTORY)):
        raise Http404
    records = history.deleted_records(request.user, rule)
    return render(request, "governance/history_deleted.html", {
        "rule": rule,
        "verbose_name_plural": rule.model._meta.verbose_name_plural,
        "deleted": [{"record": r, "name": history.record_name(r, instance)} for r, instance in records],
    })


urlpatterns = [
    path("<str:label>/raderade/", deleted_list, name="history-deleted"),
    path("<str:label>/<int:pk>/", record_history, name="history"),
]
