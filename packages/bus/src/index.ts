export { connectBus } from "./bus.ts";
export type { Bus, BusOptions } from "./bus.ts";
export { inMessageSpan, messageContext, messagesProcessed, messageTraceId, setSpanRecording } from "./trace.ts";
export { archivedSubject, eventSubject, eventsStreamName, jobSubject, jobsStreamName, keyInvalidationSubject, notificationSubject, notificationsStreamName, subjectCompanyId, subjectsErasedSubject } from "./subjects.ts";
