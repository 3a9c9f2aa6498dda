"""Builders shared by the tests and the benchmarks (random-weight models, generated alignments, scorers); never imported by the program itself."""
