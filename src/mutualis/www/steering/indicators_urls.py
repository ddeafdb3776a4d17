"""URLs of the steering area's indicators pages."""

urlpatterns = []
