import { Migration0001Foundation } from "./Migration0001Foundation.ts";

/** Every migration, in order. Add new ones at the end; never edit one that has shipped. */
export const MIGRATIONS = [{ name: "0001_foundation", class: Migration0001Foundation }];
