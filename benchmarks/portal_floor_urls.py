"""Benchmark-only URLs for portal_load.py: the application's, plus `/plancher/`, a minimal Django view
served by the same server through the same middleware: the floor the portal's pages are compared with."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("<!DOCTYPE html><title>plancher</title><p>ok</p>")


urlpatterns = [path("plancher/", floor), path("", include("mutualis.urls"))]
