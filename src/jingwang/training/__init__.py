"""Training, calibration and evaluation of the learned classifier (may use scikit-learn)."""
