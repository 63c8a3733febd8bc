from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from governance import job_views, views as governance_views

admin.site.site_header = "Tillit"
admin.site.site_title = "Tillit"
admin.site.index_title = "Förvaltning av Tillit"

urlpatterns = [
    path("", governance_views.home, name="home"),
    path("logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("scorecards.urls")),
    path("", include("reporting.urls")),
    path("", include(job_views.urlpatterns)),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("api-nycklar/", include("governance.views_tokens")),
    path("historik/", include("governance.views_history")),
]

# Under /api/ an error Django answers itself (an unknown address, an unexpected error) is JSON;
# elsewhere Django's page.
handler400 = "governance.api.exceptions.bad_request"
handler403 = "governance.api.exceptions.permission_denied"
handler404 = "governance.api.exceptions.page_not_found"
handler500 = "governance.api.exceptions.server_error"
