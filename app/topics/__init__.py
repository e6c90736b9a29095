"""Topics: named full-text queries ("who claimed what about X"), defined in seeds/topics.yaml."""
