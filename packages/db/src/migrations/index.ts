import { Migration0001Foundation } from "./Migration0001Foundation.ts";
import { Migration0002NoTruncate } from "./Migration0002NoTruncate.ts";
import { Migration0003CompanyActionIndex } from "./Migration0003CompanyActionIndex.ts";
import { Migration0004Checkpoints } from "./Migration0004Checkpoints.ts";
import { Migration0005Webhooks } from "./Migration0005Webhooks.ts";
import { Migration0006Jobs } from "./Migration0006Jobs.ts";
import { Migration0007CheckpointAnnouncements } from "./Migration0007CheckpointAnnouncements.ts";
import { Migration0008LogOwnership } from "./Migration0008LogOwnership.ts";
import { Migration0009Archive } from "./Migration0009Archive.ts";
import { Migration0010PersonalData } from "./Migration0010PersonalData.ts";
import { Migration0011Usage } from "./Migration0011Usage.ts";
import { Migration0013Archival } from "./Migration0013Archival.ts";
import { Migration0014Restores } from "./Migration0014Restores.ts";
import { Migration0015RetentionClasses } from "./Migration0015RetentionClasses.ts";
import { Migration0012EventPayload } from "./Migration0012EventPayload.ts";
import { Migration0016AnalyticsRollups } from "./Migration0016AnalyticsRollups.ts";
import { Migration0017AnalyticsDaily } from "./Migration0017AnalyticsDaily.ts";
import { Migration0018AnalyticsActorTotals } from "./Migration0018AnalyticsActorTotals.ts";

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [
  { name: "0001_foundation", class: Migration0001Foundation },
  { name: "0002_no_truncate", class: Migration0002NoTruncate },
  { name: "0003_company_action_index", class: Migration0003CompanyActionIndex },
  { name: "0004_checkpoints", class: Migration0004Checkpoints },
  { name: "0005_webhooks", class: Migration0005Webhooks },
  { name: "0006_jobs", class: Migration0006Jobs },
  { name: "0007_checkpoint_announcements", class: Migration0007CheckpointAnnouncements },
  { name: "0008_log_ownership", class: Migration0008LogOwnership },
  { name: "0009_archive", class: Migration0009Archive },
  { name: "0010_personal_data", class: Migration0010PersonalData },
  { name: "0011_usage", class: Migration0011Usage },
  { name: "0012_event_payload", class: Migration0012EventPayload },
  { name: "0013_archival", class: Migration0013Archival },
  { name: "0014_restores", class: Migration0014Restores },
  { name: "0015_retention_classes", class: Migration0015RetentionClasses },
  { name: "0016_analytics_rollups", class: Migration0016AnalyticsRollups },
  { name: "0017_analytics_daily", class: Migration0017AnalyticsDaily },
  { name: "0018_analytics_actor_totals", class: Migration0018AnalyticsActorTotals },
];
