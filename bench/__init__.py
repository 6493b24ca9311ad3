"""Heedful's benchmarks: `make bench`, or `python -m bench [name ...] [--customers N ...]`.

Each benchmark is a module with ``NAME``, ``add_arguments(parser)`` and ``run(args) -> metrics``;
``bench/__main__.py`` runs them and merges their metrics into ``bench/results.json``.
"""
