"""nbgrader's configuration for the course (nbgrader reads it from this folder, the course root).

nbgrader carries on with its defaults when this file fails to load, so tests/test_teacher_kit.py
checks that each setting below takes effect.
"""

c = get_config()  # noqa: F821  (nbgrader defines get_config when it loads this file)

c.CourseDirectory.course_id = "nn-demystified-part5"
c.CourseDirectory.db_url = "sqlite:///gradebook.db"

# The release keeps the course's stub (it runs, and gives a wrong answer) above the spot where
# the model answer was; nbgrader puts this comment there instead of its own code.
c.ClearSolutions.code_stub = {
    "python": "# Your answer: change the code above until the self-check says correct.",
}
c.ClearSolutions.enforce_metadata = True

# A cell that runs longer than this is interrupted, and grading goes on with the next cell: a
# learner's endless loop costs that exercise's points, not the whole notebook's.
c.Execute.timeout = 60
c.Execute.interrupt_on_timeout = True
