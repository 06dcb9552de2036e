"""Pure domain: no Qt, no I/O, no clock or random reads (time and ids are passed in)."""
