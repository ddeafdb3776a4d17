"""{% grid_state %} and {% lot_actions %}: which buttons the project page shows for the criteria grid and
each lot, the LOT workflow and the services' stage test."""

from django import template

from ..procurements.lot_actions import grid_state, lot_actions

register = template.Library()
register.simple_tag(grid_state)
register.simple_tag(lot_actions)
