"""jingwang (净网): trust-and-safety for Chinese-language messaging and social apps."""

__version__ = "0.1.0"
