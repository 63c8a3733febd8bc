from rest_framework.routers import SimpleRouter

from reporting.api import views

router = SimpleRouter()
router.register("rounds", views.RoundViewSet, basename="round")
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")
router.register("board-reports", views.BoardReportViewSet, basename="board-report")

urlpatterns = router.urls
