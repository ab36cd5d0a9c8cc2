"""Training material: slides, collection drawings, the quiz."""
