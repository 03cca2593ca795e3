"""Legal basis and consent («samtykke om fritak fra taushetsplikt») for sharing personal data between the parties."""
