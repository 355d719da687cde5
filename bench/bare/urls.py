import views
from django.urls import path

urlpatterns = [
    path("healthz", views.healthz),
    path("start/", views.start),
    path("", views.hello),
    path("events/", views.events),
    path("fire/", views.fire),
    path("fire/empty/", views.fire_empty),
]
