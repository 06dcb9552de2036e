"""The whole simulated world on loopback: the back office plus every part's ``world_part.start(ctx)``."""
