"""Real-browser tests (marker ``browser``); see conftest.py and browserkit.py."""
