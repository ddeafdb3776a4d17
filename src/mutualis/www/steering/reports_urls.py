"""URLs of the steering area's reports pages."""

urlpatterns = []
