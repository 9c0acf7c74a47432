"""The lecturers behind the LLM seam, each turning a lecture request into lecture text,
and what a model writes for them (explanations, answers, quiz questions), held to the
notes by the rules in profai_cli.teaching."""
