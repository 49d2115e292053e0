"""The tour: competitions, their city events, lifecycle, rubrics and jury panels."""
