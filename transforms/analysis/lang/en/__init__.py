"""English language pack."""
