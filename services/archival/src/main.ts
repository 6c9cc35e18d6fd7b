import { runMain } from "@hyrelog/runtime";
import { build } from "./server.ts";

await runMain(["archival"], [build]);
