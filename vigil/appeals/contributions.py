"""What the appeals app adds to the menu, the home page and other apps' pages."""


def register() -> None:
    """Register the app's menu entries, home blocks and page sections."""
