export { connectBus } from "./bus.ts";
export type { Bus, BusOptions } from "./bus.ts";
export { eventSubject, eventsStreamName, keyInvalidationSubject } from "./subjects.ts";
