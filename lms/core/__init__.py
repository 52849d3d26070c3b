"""What every feature uses and no feature owns."""
