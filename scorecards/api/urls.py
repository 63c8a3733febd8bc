from django.urls import path
from rest_framework.routers import SimpleRouter

from scorecards.api import imports, views

router = SimpleRouter()
router.register("scorecards", views.ScorecardViewSet, basename="scorecard")
router.register("scorecard-goals", views.ScorecardGoalViewSet, basename="scorecard-goal")
router.register("indicators", views.IndicatorViewSet, basename="indicator")
router.register("targets", views.TargetViewSet, basename="target")
router.register("measurements", views.MeasurementViewSet, basename="measurement")
router.register("activities", views.ActivityViewSet, basename="activity")

urlpatterns = [
    path("units/<str:unit_pk>/measurements/", views.UnitMeasurementsView.as_view(), name="unit-measurements"),
    path("imports/measurements/", imports.MeasurementImportView.as_view(), name="import-measurements"),
    path("imports/kolada/", imports.KoladaImportView.as_view(), name="import-kolada"),
    path("imports/jobs/<int:pk>/", imports.ImportJobView.as_view(), name="import-job"),
    *router.urls,
]
