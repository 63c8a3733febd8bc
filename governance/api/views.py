"""Read-only API of the organisation, memberships, the calendar and the political goals.
Every list starts from a selector scoped to the user; anything outside it is a 404."""

from rest_framework import viewsets

from governance import selectors
from governance.api import filters, serializers
from governance.models import Period, ReportingYear


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisational units the user may read: their subtrees and the units above them."""

    serializer_class = serializers.OrgUnitSerializer
    filterset_class = filters.OrgUnitFilterSet

    def get_queryset(self):
        return selectors.org_unit_list(user=self.request.user)


class MembershipViewSet(viewsets.ReadOnlyModelViewSet):
    """Who holds which role where, in the subtrees the user's memberships cover."""

    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilterSet

    def get_queryset(self):
        return selectors.membership_list(user=self.request.user)


class ReportingYearViewSet(viewsets.ReadOnlyModelViewSet):
    """The reporting years (the calendar is the same for everyone)."""

    serializer_class = serializers.ReportingYearSerializer
    queryset = ReportingYear.objects.order_by("year")


class PeriodViewSet(viewsets.ReadOnlyModelViewSet):
    """Months, tertials and years; filter by ``code`` (2026-03) to find a period's id."""

    serializer_class = serializers.PeriodSerializer
    filterset_class = filters.PeriodFilterSet
    queryset = Period.objects.select_related("year").order_by("start", "-end")


class PoliticalGoalViewSet(viewsets.ReadOnlyModelViewSet):
    """The political goals of the boards the user may read (kept by controllers in the admin)."""

    serializer_class = serializers.PoliticalGoalSerializer
    filterset_class = filters.PoliticalGoalFilterSet

    def get_queryset(self):
        return selectors.political_goal_list(user=self.request.user)
