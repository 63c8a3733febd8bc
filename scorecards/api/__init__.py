"""The REST API of scorecards, their goals, indicators, targets, measurements and activities."""
