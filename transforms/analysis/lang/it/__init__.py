"""Italian language pack."""
