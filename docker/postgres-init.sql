-- HyreLog dev stack (docker-compose.yml): one database per region, each owned by its own role,
-- so a region's processes hold credentials for their own database only (as in production).
-- Runs once, when the postgres container initialises an empty data volume; to re-run it,
-- `docker compose down -v`. The passwords are dev-only placeholders.
CREATE ROLE hyrelog_us LOGIN PASSWORD 'dev-only-change-me-us';
CREATE ROLE hyrelog_eu LOGIN PASSWORD 'dev-only-change-me-eu';
CREATE ROLE hyrelog_uk LOGIN PASSWORD 'dev-only-change-me-uk';
CREATE ROLE hyrelog_au LOGIN PASSWORD 'dev-only-change-me-au';

CREATE DATABASE hyrelog_us OWNER hyrelog_us;
CREATE DATABASE hyrelog_eu OWNER hyrelog_eu;
CREATE DATABASE hyrelog_uk OWNER hyrelog_uk;
CREATE DATABASE hyrelog_au OWNER hyrelog_au;

REVOKE ALL ON DATABASE hyrelog_us FROM PUBLIC;
REVOKE ALL ON DATABASE hyrelog_eu FROM PUBLIC;
REVOKE ALL ON DATABASE hyrelog_uk FROM PUBLIC;
REVOKE ALL ON DATABASE hyrelog_au FROM PUBLIC;
