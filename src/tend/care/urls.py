from django.urls import path

from tend.care import views

urlpatterns = [
    path("help/", views.help_page, name="help"),
    path("care/gentle-check/", views.gentle_check, name="gentle_check"),
    path("r/<int:relationship_id>/safety/", views.safety_check, name="safety_check"),
    path("r/<int:relationship_id>/safety/sealed/", views.safety_sealed, name="safety_sealed"),
]
