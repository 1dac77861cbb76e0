"""Built-in questionnaire definitions (JSON); a package so that the files ship with the wheel."""
