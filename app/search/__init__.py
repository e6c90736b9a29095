"""Search help: the vocabulary of the stored claims and suggestions for searches that miss."""
