export { build } from "./server.ts";
