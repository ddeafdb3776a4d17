"""Writes of the supplier evaluation: incidents (incidents.py), QCD campaigns (campaigns.py) and their
answers (answers.py)."""
