"""Portuguese language pack."""
