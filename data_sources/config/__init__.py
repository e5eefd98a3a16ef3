"""Configuration: ``portal.toml`` (every key documented in docs/admin.md) and the questionnaire file it names."""
