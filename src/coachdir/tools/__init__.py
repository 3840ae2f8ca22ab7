"""Tools around a programme: the demo generator, the profile scaffold, the sample."""
