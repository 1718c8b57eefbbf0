"""The gradient checker's layers, bottom to top: validation, weightLayout (pure), the measuring
layer (weightVector, fastGradients, measure: the only code that calls a network), judge (pure)
and gradientReport. partFive.py, the tutorial's face, puts them together."""
