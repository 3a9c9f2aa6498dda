"""The reliability suite: real processes, kills at random moments, bad input,
hostile files, damaged databases.

``make test`` runs a fast sample (everything not marked ``slow``);
``make test-reliability`` runs the whole set, slow cases included."""
