"""The epsilon lab: numerical differences whose step the learner moves with a slider."""
