from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Tillit"
admin.site.site_title = "Tillit"
admin.site.index_title = "Förvaltning av Tillit"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
