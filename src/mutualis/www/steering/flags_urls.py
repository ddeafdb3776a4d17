"""URLs of the steering area's flags pages."""

urlpatterns = []
