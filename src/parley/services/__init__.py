"""Use cases: the only layer that combines storage, moderation and the domain."""
