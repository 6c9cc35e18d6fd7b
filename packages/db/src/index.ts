export { AuditEvent, ApiKey, Company, ENTITIES, ExportFile, Job, LogHead, Plan, Project, WebhookAttempt, WebhookDelivery, WebhookEndpoint, Workspace } from "./entities.ts";
export { ensureDatabase, migrateDatabase, openOrm } from "./orm.ts";
export type { Orm, OrmOptions } from "./orm.ts";
export { MIGRATIONS } from "./migrations/index.ts";
export { EVENT_COLUMNS, EVENT_TEXT_COLUMNS, eventFromRow, rowFromEvent } from "./event-rows.ts";
export type { EventRow, EventTextRow } from "./event-rows.ts";
export { seedCompany } from "./seed.ts";
export type { SeedCompanyOptions, SeededCompany } from "./seed.ts";
export { StoredTree, STORED_LEVEL } from "./merkle-store.ts";
