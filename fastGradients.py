"""Fast gradient checks for big networks: vectorized, directional and sparse."""
