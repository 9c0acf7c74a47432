"""The lecture, its questions and their answers made from the notes by rule, and the
check that holds a model's sentences to them: no model here."""
