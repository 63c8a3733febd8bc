from scorecards.views import imports, scorecard, team

app_name = "scorecards"

# Each view module owns its URL patterns; this file only puts them together.
urlpatterns = [*team.urlpatterns, *scorecard.urlpatterns, *imports.urlpatterns]
