"""fieldapp: offline, encrypted survey fieldwork for laptops (core package, no Qt)."""

__version__ = "0.1.0"
APP_NAME = "fieldapp"
APP_ID = "org.fieldapp.FieldApp"
