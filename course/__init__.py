"""The course built on the checker: notebook 10's epsilon lab (epsilonLab, labWidgets), notebook
13's bug gallery (bugGallery), and the exercises (exercises, with modelAnswers and the learner's own
file, yourWork)."""
