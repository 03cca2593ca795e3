"""Crisis organisation, duty rota and alerting with acknowledgements (CONTRACT §9)."""
