"""ANSI C12.19 table codecs: ST0 first (it fixes byte order, character, time and id formats), the standard
tables an installer needs, procedures, registers, and the shared manufacturer tables. No I/O."""
