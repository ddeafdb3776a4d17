"""Pages of the supplier evaluation: incidents during execution (later the QCD evaluation campaigns)."""
