"""SQPsych: synthetic counselling dialogues from client questionnaires (PHQ-9, GAD-7, PCL-5): a
therapist and a client agent role-play from a profile built from scored questionnaire records
(`generate sqpsych`), the session judge on the paper's rubric (`judge sqpsych`), the
`sqpsychconv` export and `onprem questionnaires`. Everything is registered in plugin.py."""
