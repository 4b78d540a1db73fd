"""Articles to quotes and figures: pure rules over text, with speakers and figure objects."""
