package com.hyrelog.sdk;

import com.hyrelog.common.v1.AuditEvent;

/**
 * One event of a live tail, and the resume token right after it: keep the token of the last event
 * you handled, and set it on the next {@code TailEventsRequest} to go on from there.
 */
public record TailedEvent(AuditEvent event, String resumeToken) {}
