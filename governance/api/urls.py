from rest_framework.routers import SimpleRouter

from governance.api import views

router = SimpleRouter()
router.register("org-units", views.OrgUnitViewSet, basename="org-unit")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("years", views.ReportingYearViewSet, basename="year")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("political-goals", views.PoliticalGoalViewSet, basename="political-goal")

urlpatterns = router.urls
