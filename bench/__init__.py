"""Scale benchmarks of phoihop and their data generators (run by ``make bench``, not by ``make test``)."""
