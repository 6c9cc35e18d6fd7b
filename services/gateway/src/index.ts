export { build } from "./server.ts";
export type { Gateway } from "./server.ts";
