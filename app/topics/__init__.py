"""Topics: named searches ("who claimed what about X"), kept in the database and edited on the
site; seeds/topics.yaml is the initial set."""
