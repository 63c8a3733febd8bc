"""The scorecards API. Lists and single reads come from ``scorecards.selectors`` (scoped to the
user, so anything outside is a 404); writes call ``scorecards.services``, which check
permission (403), validate (400) and refuse stale writes (409) — through the one exception
handler in ``governance.api.exceptions``."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from governance import selectors as governance_selectors
from governance.api.base import ServiceViewSetMixin
from governance.models import Period
from governance.periods import parse_period_code
from scorecards import selectors, services
from scorecards.api import filters
from scorecards.api import serializers as s
from scorecards.models import Measurement

WRITE_METHODS = ["get", "post", "patch", "head", "options"]


class ScorecardViewSet(viewsets.ReadOnlyModelViewSet):
    """Scorecards (styrkort) of the units the user may read, with the indicators placed in them."""

    serializer_class = s.ScorecardSerializer
    filterset_class = filters.ScorecardFilterSet

    def get_queryset(self):
        return selectors.scorecard_list(user=self.request.user)


@extend_schema_view(
    create=extend_schema(request=s.ScorecardGoalWriteSerializer, responses={201: s.ScorecardGoalSerializer}),
    partial_update=extend_schema(request=s.ScorecardGoalUpdateSerializer, responses={200: s.ScorecardGoalSerializer}),
)
class ScorecardGoalViewSet(ServiceViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           viewsets.GenericViewSet):
    """Unit goals (enhetsmål) and the political goals they serve. Kept by the unit manager."""

    serializer_class = output_serializer_class = s.ScorecardGoalSerializer
    filterset_class = filters.ScorecardGoalFilterSet
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        return selectors.scorecard_goal_list(user=self.request.user)

    def create(self, request):
        data = self.read_input(s.ScorecardGoalWriteSerializer)
        goal = services.scorecard_goal_create(user=request.user, **data)
        return self.answer(goal, status=201)

    def partial_update(self, request, pk=None):
        goal = self.get_object()
        data = self.read_input(s.ScorecardGoalUpdateSerializer)
        version = data.pop("version")
        goal = services.scorecard_goal_update(user=request.user, goal=goal, expected_version=version, **data)
        return self.answer(goal)


@extend_schema_view(
    create=extend_schema(request=s.OwnIndicatorCreateSerializer, responses={201: s.IndicatorSerializer},
                         description="Create an own indicator of the scorecard's unit and place it in the scorecard. "
                                     "Mandated indicators are defined by controllers in the admin."),
    partial_update=extend_schema(request=s.IndicatorUpdateSerializer, responses={200: s.IndicatorSerializer},
                                 description="Own indicators are the unit's to change; mandated ones the controllers'."),
)
class IndicatorViewSet(ServiceViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Indicators (mätetal) owned by units the user may read, mandated ones included."""

    serializer_class = output_serializer_class = s.IndicatorSerializer
    filterset_class = filters.IndicatorFilterSet
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        return selectors.indicator_list(user=self.request.user)

    def create(self, request):
        data = self.read_input(s.OwnIndicatorCreateSerializer)
        link = services.own_indicator_create(user=request.user, **data)
        return self.answer(link.indicator, status=201)

    def partial_update(self, request, pk=None):
        indicator = self.get_object()
        data = self.read_input(s.IndicatorUpdateSerializer)
        version = data.pop("version")
        indicator = services.indicator_update(user=request.user, indicator=indicator, expected_version=version, **data)
        return self.answer(indicator)


@extend_schema_view(
    create=extend_schema(request=s.TargetWriteSerializer, responses={200: s.TargetSerializer, 201: s.TargetSerializer},
                         description="Set a target: 201 when created, 200 when the existing one for the same "
                                     "indicator, year and unit was changed."),
    partial_update=extend_schema(request=s.TargetUpdateSerializer, responses={200: s.TargetSerializer}),
)
class TargetViewSet(ServiceViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Targets and thresholds per indicator and year; a row with a unit overrides the default."""

    serializer_class = output_serializer_class = s.TargetSerializer
    filterset_class = filters.TargetFilterSet
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        return selectors.target_list(user=self.request.user)

    def create(self, request):
        data = self.read_input(s.TargetWriteSerializer)
        version = data.pop("version")
        existed = selectors.target_list(user=request.user).filter(
            indicator=data["indicator"], year=data["year"], unit=data["unit"]).exists()
        target = services.target_set(user=request.user, expected_version=version, **data)
        return self.answer(target, status=200 if existed else 201)

    def partial_update(self, request, pk=None):
        target = self.get_object()
        data = self.read_input(s.TargetUpdateSerializer)
        values = {field: data.get(field, getattr(target, field))
                  for field in ("target_value", "target_max", "yellow_threshold", "tolerance_percent", "comment")}
        target = services.target_set(user=request.user, indicator=target.indicator, year=target.year, unit=target.unit,
                                     expected_version=data["version"], **values)
        return self.answer(target)


@extend_schema_view(
    create=extend_schema(request=s.MeasurementWriteSerializer,
                         responses={200: s.MeasurementSerializer, 201: s.MeasurementSerializer},
                         description="Record one value (source API): 201 when new, 200 when an existing value for "
                                     "the same indicator, unit and period was corrected or stood unchanged."),
    partial_update=extend_schema(request=s.MeasurementUpdateSerializer, responses={200: s.MeasurementSerializer}),
)
class MeasurementViewSet(ServiceViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Values (utfall) per indicator, unit and period, for the units the user may read."""

    serializer_class = output_serializer_class = s.MeasurementSerializer
    filterset_class = filters.MeasurementFilterSet
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        return selectors.measurement_list(user=self.request.user)

    def create(self, request):
        data = self.read_input(s.MeasurementWriteSerializer)
        version = data.pop("version")
        existed = Measurement.objects.filter(indicator=data["indicator"], unit=data["unit"],
                                             period=data["period"]).exists()
        measurement = services.measurement_record(user=request.user, source=Measurement.Source.API,
                                                  expected_version=version, **data)
        return self.answer(measurement, status=200 if existed else 201)

    def partial_update(self, request, pk=None):
        measurement = self.get_object()
        data = self.read_input(s.MeasurementUpdateSerializer)
        measurement = services.measurement_record(
            user=request.user, indicator=measurement.indicator, unit=measurement.unit, period=measurement.period,
            value=data["value"] if "value" in data else measurement.value,
            comment=data.get("comment", measurement.comment), source=Measurement.Source.API,
            expected_version=data["version"])
        return self.answer(measurement)


@extend_schema(
    parameters=[OpenApiParameter("unit_pk", OpenApiTypes.INT, OpenApiParameter.PATH, description="The unit's id.")],
    request=s.BulkMeasurementSerializer,
    responses={200: s.MeasurementSerializer(many=True),
               400: OpenApiResponse(OpenApiTypes.OBJECT, description=(
                   "Nothing was saved. ``values`` lists one object per row, in the order sent: empty for a good "
                   "row, the row's messages for a bad one."))},
    description=("Record a whole period's values for one unit in one request, all or nothing (the grid of "
                 "\"Mitt styrkort\"). ``period`` is an id or a code (2026-03, 2026-T1, 2026); each row's "
                 "``indicator`` is an id or the indicator's external code; ``value`` a number, a text such as "
                 "\"12,5\", or null. A row with ``version`` is refused when the stored value has another version."),
)
class UnitMeasurementsView(generics.GenericAPIView):
    serializer_class = s.BulkMeasurementSerializer
    pagination_class = None
    filter_backends = []

    def post(self, request, unit_pk):
        unit = self._unit(unit_pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = self._period(serializer.validated_data["period"])
        rows = serializer.validated_data["values"]
        resolved, row_errors = [], [{} for _row in rows]
        seen = {}
        indicators = selectors.indicators_for_references(user=request.user,
                                                         references=[row["indicator"] for row in rows])
        for index, row in enumerate(rows):
            indicator = indicators[row["indicator"]]
            if indicator is None:
                row_errors[index] = {"indicator": [_("No such indicator: %(ref)s.") % {"ref": row["indicator"]}]}
            elif indicator.pk in seen:
                row_errors[index] = {"indicator": [_("This indicator is listed twice (rows %(first)s and %(second)s).")
                                                   % {"first": seen[indicator.pk] + 1, "second": index + 1}]}
            else:
                seen[indicator.pk] = index
                resolved.append({"indicator": indicator, "value": row.get("value"), "comment": row["comment"],
                                 "expected_version": row["version"]})
        if any(row_errors):
            raise exceptions.ValidationError({"values": row_errors})
        # All or nothing: the service writes every row or, with any error, none.
        try:
            saved = services.measurements_record_for_period(user=request.user, unit=unit, period=period,
                                                            rows=resolved, source=Measurement.Source.API)
        except DjangoValidationError as error:
            if not hasattr(error, "error_dict"):
                raise
            by_indicator = error.message_dict
            for index, row in enumerate(resolved):
                messages = by_indicator.pop(str(row["indicator"].pk), None)
                if messages:
                    row_errors[seen[row["indicator"].pk]] = {"non_field_errors": messages}
            body = {"values": row_errors}
            if by_indicator:
                body["non_field_errors"] = [m for messages in by_indicator.values() for m in messages]
            raise exceptions.ValidationError(body) from None
        fresh = selectors.measurement_list(user=request.user).filter(pk__in=[m.pk for m in saved])
        order = {m.pk: i for i, m in enumerate(saved)}
        return Response(s.MeasurementSerializer(sorted(fresh, key=lambda m: order[m.pk]), many=True).data)

    def _unit(self, unit_pk):
        if not str(unit_pk).isdigit() or len(str(unit_pk)) > 18:
            raise exceptions.NotFound(_("No such unit."))
        unit = governance_selectors.org_unit_list(user=self.request.user).filter(pk=int(unit_pk)).first()
        if unit is None:
            raise exceptions.NotFound(_("No such unit."))
        return unit

    def _period(self, reference):
        return period_for_reference(reference)


def period_for_reference(reference, field="period"):
    """The period a request names by id or by code (2026-03, 2026-T1, 2026), as a
    ``ReferenceField`` reads it; a 400 on ``field`` when there is none. Shared by every API
    endpoint that takes a period (the reporting API's rounds too)."""
    period = None
    if isinstance(reference, int):
        period = Period.objects.filter(pk=reference).first()
    else:
        try:
            year, kind, number = parse_period_code(reference)
        except ValueError:
            period = None
        else:
            period = Period.objects.filter(year__year=year, kind=kind, number=number).first()
    if period is None:
        raise exceptions.ValidationError({field: [_("No such period: %(ref)s. Give an id or a code such as "
                                                    "2026-03, 2026-T1 or 2026.") % {"ref": reference}]})
    return period


@extend_schema_view(
    create=extend_schema(request=s.ActivityWriteSerializer, responses={201: s.ActivitySerializer}),
    partial_update=extend_schema(request=s.ActivityChangeSerializer, responses={200: s.ActivitySerializer}),
)
class ActivityViewSet(ServiceViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The teams' activities, filtered by the same ActivityFilterSet as the team page."""

    serializer_class = output_serializer_class = s.ActivitySerializer
    filterset_class = filters.ActivityApiFilterSet
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        return selectors.activity_queryset(user=self.request.user)

    def create(self, request):
        data = self.read_input(s.ActivityWriteSerializer)
        activity = services.activity_create(user=request.user, **data)
        return self.answer(activity, status=201)

    def partial_update(self, request, pk=None):
        activity = self.get_object()
        data = self.read_input(s.ActivityChangeSerializer)
        version = data.pop("version")
        activity = services.activity_update(user=request.user, activity=activity, expected_version=version, **data)
        return self.answer(activity)

    @extend_schema(responses={200: s.ActivityUpdateSerializer(many=True)}, filters=False)
    @action(detail=True, methods=["get"], url_path="updates", filterset_class=None, filter_backends=[])
    def updates(self, request, pk=None):
        """The activity's progress notes, newest first."""
        activity = self.get_object()
        notes = activity.updates.select_related("author").order_by("-date", "-pk")
        page = self.paginate_queryset(notes)
        return self.get_paginated_response(s.ActivityUpdateSerializer(page, many=True).data)

    @extend_schema(request=s.ActivityUpdateWriteSerializer, responses={201: s.ActivityUpdateSerializer})
    @updates.mapping.post
    def log_update(self, request, pk=None):
        """Log dated progress; ``status_after`` also changes the activity's status."""
        activity = self.get_object()
        data = self.read_input(s.ActivityUpdateWriteSerializer)
        note = services.activity_log_update(user=request.user, activity=activity, **data)
        return Response(s.ActivityUpdateSerializer(note).data, status=201)
