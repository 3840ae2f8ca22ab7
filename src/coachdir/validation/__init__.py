"""The validation engine: reads every file once, runs schema and rules, caches results."""
