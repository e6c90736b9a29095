"""Background ingest: upload batches stored as jobs in PostgreSQL and worked through by workers."""
