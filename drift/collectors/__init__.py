"""The collector stage: configured sources in, one snapshot per environment out."""
