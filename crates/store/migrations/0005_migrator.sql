-- Migrations are recorded by sqlx's migrator in _sqlx_migrations, with a checksum of each file.
-- The table that recorded them before (version, name, applied) was read once when this
-- migration ran, to mark versions 1-4 as applied; it is no longer used.
DROP TABLE IF EXISTS schema_migrations;
