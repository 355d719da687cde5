from django.urls import include, path

from tend.core import views as core_views

urlpatterns = [
    path("", core_views.landing, name="landing"),
    path("healthz", core_views.healthz, name="healthz"),
    path(".well-known/security.txt", core_views.security_txt, name="security_txt"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("", include("tend.accounts.urls")),
    path("", include("tend.gardens.urls")),
    path("", include("tend.plans.urls")),
    path("", include("tend.repairs.urls")),
    path("", include("tend.history.urls")),
    path("", include("tend.patterns.urls")),
    path("", include("tend.care.urls")),
    path("", include("tend.notify.urls")),
]
