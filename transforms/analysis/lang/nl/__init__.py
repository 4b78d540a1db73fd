"""Dutch language pack."""
