"""Standing cooperation between Kristiansand kommune and Agder politidistrikt (samarbeidsavtale)."""
