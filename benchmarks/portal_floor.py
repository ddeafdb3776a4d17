"""Benchmark-only settings for portal_load.py: the production profile, with portal_floor_urls as the
URLconf (the application's URLs plus the floor view). Never imported by the application."""

from mutualis.settings import *  # noqa: F403 (the production profile, as gunicorn loads it)

ROOT_URLCONF = "portal_floor_urls"
