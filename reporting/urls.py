from reporting.views import board, compile, exports, followups, jobs, rounds, unit_round

app_name = "reporting"

# Each view module owns its URL patterns; this file only puts them together.
urlpatterns = [
    *followups.urlpatterns, *unit_round.urlpatterns, *board.urlpatterns, *rounds.urlpatterns, *exports.urlpatterns,
    *compile.urlpatterns, *jobs.urlpatterns,
]
