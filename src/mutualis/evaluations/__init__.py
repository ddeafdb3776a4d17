"""Supplier evaluation during execution: incidents on contracts (issue 17 part 2), later the QCD campaigns."""
