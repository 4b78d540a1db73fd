"""German language pack."""
