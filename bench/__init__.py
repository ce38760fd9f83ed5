"""Benchmarks: ``make bench`` (``manage.py bench``) times pages on a generated data set.

Results go to ``var/bench/results.json`` as a list of
``{"name", "n_rows", "p50_ms", "p95_ms", "queries"}`` and are printed as a table.
"""
