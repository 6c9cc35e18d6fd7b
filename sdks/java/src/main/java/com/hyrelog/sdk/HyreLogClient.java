package com.hyrelog.sdk;

import com.hyrelog.api.v1.AnalyticsServiceGrpc;
import com.hyrelog.api.v1.ArchiveServiceGrpc;
import com.hyrelog.api.v1.Checkpoint;
import com.hyrelog.api.v1.CountEventsRequest;
import com.hyrelog.api.v1.CountEventsResponse;
import com.hyrelog.api.v1.EventInput;
import com.hyrelog.api.v1.EventServiceGrpc;
import com.hyrelog.api.v1.GetArchiveRequest;
import com.hyrelog.api.v1.GetArchiveResponse;
import com.hyrelog.api.v1.GetEventRequest;
import com.hyrelog.api.v1.GetInclusionProofRequest;
import com.hyrelog.api.v1.GetInclusionProofResponse;
import com.hyrelog.api.v1.GetLatestCheckpointRequest;
import com.hyrelog.api.v1.IngestEventsRequest;
import com.hyrelog.api.v1.IngestEventsResponse;
import com.hyrelog.api.v1.ListArchivesRequest;
import com.hyrelog.api.v1.ListArchivesResponse;
import com.hyrelog.api.v1.ListEventsRequest;
import com.hyrelog.api.v1.ListEventsResponse;
import com.hyrelog.api.v1.TailEventsRequest;
import com.hyrelog.api.v1.VerificationServiceGrpc;
import com.hyrelog.common.v1.AuditEvent;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A thin client for HyreLog's public gRPC API (hyrelog.api.v1).
 *
 * <p>It adds to the generated stubs only what every caller needs: the API key on each call, retries
 * with backoff for transient failures, idempotency keys so that retried ingests never store an
 * event twice, iteration over ListEvents and ListArchives pages, event counts ({@link #countEvents}),
 * and a live tail ({@link #tail}) that reconnects from its last resume token. {@link #events()},
 * {@link #verification()}, {@link #analytics()} and {@link #archives()} give the stubs (with the key)
 * for everything else; wrap their calls in {@link #call} to retry.
 *
 * <pre>{@code
 * try (HyreLogClient client = new HyreLogClient("127.0.0.1:8080", "hlk_ws_...")) {
 *   client.ingest(List.of(EventInput.newBuilder().setCategory("user").setAction("user.created")...build()));
 * }
 * }</pre>
 */
public final class HyreLogClient implements AutoCloseable {
  /** Codes a call may pass with if made again: unreachable or overloaded, rate-limited, timed out. */
  public static final Set<Status.Code> RETRYABLE =
      Set.of(Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED, Status.Code.DEADLINE_EXCEEDED);

  private final ManagedChannel channel;
  /** The channel with the key on every call: the stubs' and the tail's. */
  private final Channel authenticated;
  private final EventServiceGrpc.EventServiceBlockingStub events;
  private final VerificationServiceGrpc.VerificationServiceBlockingStub verification;
  private final AnalyticsServiceGrpc.AnalyticsServiceBlockingStub analytics;
  private final ArchiveServiceGrpc.ArchiveServiceBlockingStub archives;
  private final Duration timeout;
  private final int maxAttempts;
  private final Duration backoff;
  private final Duration maxBackoff;

  /** {@code address}: "host:port" or "http://host:port" (cleartext HTTP/2), "https://host:port" (TLS). */
  public HyreLogClient(String address, String apiKey) {
    this(address, apiKey, Duration.ofSeconds(10), 4, Duration.ofMillis(200), Duration.ofSeconds(5));
  }

  /**
   * @param timeout per attempt
   * @param maxAttempts attempts per call, the first included
   * @param backoff wait before the second attempt, doubling (with jitter) up to {@code maxBackoff}
   */
  public HyreLogClient(String address, String apiKey, Duration timeout, int maxAttempts, Duration backoff, Duration maxBackoff) {
    if (apiKey == null || apiKey.isEmpty()) {
      throw new IllegalArgumentException("an API key is required (hlk_ws_... or hlk_co_...)");
    }
    String target = address.replaceFirst("^https?://", "").replaceFirst("/$", "");
    ManagedChannelBuilder<?> builder = ManagedChannelBuilder.forTarget(target);
    channel = (address.startsWith("https://") ? builder.useTransportSecurity() : builder.usePlaintext()).build();
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
    authenticated = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    events = EventServiceGrpc.newBlockingStub(authenticated);
    verification = VerificationServiceGrpc.newBlockingStub(authenticated);
    analytics = AnalyticsServiceGrpc.newBlockingStub(authenticated);
    archives = ArchiveServiceGrpc.newBlockingStub(authenticated);
    this.timeout = timeout;
    this.maxAttempts = Math.max(1, maxAttempts);
    this.backoff = backoff;
    this.maxBackoff = maxBackoff;
  }

  /** The EventService stub, with the key and a fresh per-attempt deadline. */
  public EventServiceGrpc.EventServiceBlockingStub events() {
    return events.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The VerificationService stub, with the key and a fresh per-attempt deadline. */
  public VerificationServiceGrpc.VerificationServiceBlockingStub verification() {
    return verification.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The AnalyticsService stub, with the key and a fresh per-attempt deadline. */
  public AnalyticsServiceGrpc.AnalyticsServiceBlockingStub analytics() {
    return analytics.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The ArchiveService stub, with the key and a fresh per-attempt deadline. */
  public ArchiveServiceGrpc.ArchiveServiceBlockingStub archives() {
    return archives.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs a call, again after a backoff while it fails with a {@link #RETRYABLE} code, at most
   * maxAttempts times: {@code client.call(() -> client.verification().listSigningKeys(req))}.
   *
   * @throws HyreLogException when the call fails for good
   */
  public <T> T call(Supplier<T> call) {
    long delay = backoff.toMillis();
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (StatusRuntimeException e) {
        if (!RETRYABLE.contains(e.getStatus().getCode()) || attempt >= maxAttempts) {
          throw HyreLogException.from(e);
        }
      }
      sleep(ThreadLocalRandom.current().nextLong(delay / 2, delay + 1));
      delay = Math.min(delay * 2, maxBackoff.toMillis());
    }
  }

  /**
   * Records events atomically (at most 1,000 per call). Events without an idempotency key get a
   * random one before the first attempt, so a retry finds them instead of storing them twice.
   */
  public IngestEventsResponse ingest(List<EventInput> batch) {
    IngestEventsRequest.Builder request = IngestEventsRequest.newBuilder();
    for (EventInput e : batch) {
      request.addEvents(e.getIdempotencyKey().isEmpty() ? e.toBuilder().setIdempotencyKey(UUID.randomUUID().toString()).build() : e);
    }
    IngestEventsRequest built = request.build();
    return call(() -> events().ingestEvents(built));
  }

  public AuditEvent getEvent(String id) {
    return call(() -> events().getEvent(GetEventRequest.newBuilder().setId(id).build())).getEvent();
  }

  /**
   * ListEvents pages (newest events first) from {@code request}'s cursor on, following next_cursor;
   * each page is fetched when the iteration reaches it.
   */
  public Iterable<ListEventsResponse> listEventPages(ListEventsRequest request) {
    return pages(request.getCursor(), cursor -> events().listEvents(request.toBuilder().setCursor(cursor).build()), ListEventsResponse::getNextCursor);
  }

  /**
   * Event counts per UTC hour or day ({@code request}'s interval; unspecified: day) from the rollups
   * (docs/analytics.md), optionally split by one dimension (group_by, at most limit groups, default
   * 10, the rest in other). The filter takes ListEvents' filters bar actor_email, target_id and
   * target_type; its from (inclusive) and to (exclusive) set the range, widened to whole buckets
   * (default: the 7 days before the end of the current bucket). The counts follow ingest within
   * about a second: pending_events above 0 means events already stored are not counted yet.
   *
   * <pre>{@code
   * CountEventsResponse counts = client.countEvents(CountEventsRequest.newBuilder()
   *     .setFilter(EventFilter.newBuilder().setAction("user.login").setFrom(from).setTo(to))
   *     .setInterval(AnalyticsInterval.ANALYTICS_INTERVAL_DAY)
   *     .setGroupBy(AnalyticsGroupBy.ANALYTICS_GROUP_BY_ACTOR)
   *     .build());
   * }</pre>
   */
  public CountEventsResponse countEvents(CountEventsRequest request) {
    return call(() -> analytics().countEvents(request));
  }

  /**
   * ListArchives pages (archives of events past hot retention, newest first) from {@code request}'s
   * cursor on, following next_cursor; each page is fetched when the iteration reaches it. The
   * request's workspace_id narrows a company key's archives to one workspace.
   */
  public Iterable<ListArchivesResponse> listArchivePages(ListArchivesRequest request) {
    return pages(request.getCursor(), cursor -> archives().listArchives(request.toBuilder().setCursor(cursor).build()), ListArchivesResponse::getNextCursor);
  }

  /**
   * One archive, with a presigned download URL of its gzipped object while it is readable (empty
   * while cold and not restored).
   *
   * @throws HyreLogException NOT_FOUND for an id the key cannot see
   */
  public GetArchiveResponse getArchive(String archiveId) {
    GetArchiveRequest request = GetArchiveRequest.newBuilder().setArchiveId(archiveId).build();
    return call(() -> archives().getArchive(request));
  }

  /** The pages of a list call from {@code cursor} on, each fetched (with retries) when the iteration reaches it. */
  private <R> Iterable<R> pages(String firstCursor, Function<String, R> fetch, Function<R, String> nextCursor) {
    return () -> new Iterator<>() {
      private String cursor = firstCursor;
      private boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public R next() {
        if (done) throw new NoSuchElementException();
        String at = cursor;
        R response = call(() -> fetch.apply(at));
        cursor = nextCursor.apply(response);
        done = cursor.isEmpty();
        return response;
      }
    };
  }

  /**
   * Opens a live tail: the events {@code request}'s filter matches that are stored from now on, or
   * right after its resume token (one a tail gave you earlier), oldest first, each once. Returns once
   * the stream is open; iterate it (or {@link EventTail#stream()}) for {@link TailedEvent}s, and close
   * it when done:
   *
   * <pre>{@code
   * try (EventTail tail = client.tail(TailEventsRequest.newBuilder().setFilter(filter).setResumeToken(saved).build())) {
   *   while (tail.hasNext()) {
   *     TailedEvent e = tail.next();
   *     handle(e.event());
   *     saved = e.resumeToken();
   *   }
   * }
   * }</pre>
   *
   * @throws HyreLogException when the stream cannot be opened (after the retries)
   */
  public EventTail tail(TailEventsRequest request) {
    return new EventTail(this, authenticated, request);
  }

  Duration timeout() {
    return timeout;
  }

  Duration backoff() {
    return backoff;
  }

  /**
   * Proof that an event is in its log's Merkle tree, at the latest signed checkpoint. A new event
   * is provable once a signed checkpoint covers it (usually within seconds): keeps asking for up
   * to {@code wait} while the answer is FAILED_PRECONDITION or NOT_FOUND.
   */
  public GetInclusionProofResponse inclusionProof(String eventId, Duration wait) {
    GetInclusionProofRequest request = GetInclusionProofRequest.newBuilder().setEventId(eventId).build();
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        return call(() -> verification().getInclusionProof(request));
      } catch (HyreLogException e) {
        boolean pending = e.code() == Status.Code.FAILED_PRECONDITION || e.code() == Status.Code.NOT_FOUND;
        if (!pending || System.nanoTime() > deadline) throw e;
      }
      sleep(200);
    }
  }

  /** The newest signed checkpoint of a log (workspaceId: empty for a workspace key's own log). */
  public Checkpoint latestCheckpoint(String workspaceId) {
    GetLatestCheckpointRequest request = GetLatestCheckpointRequest.newBuilder().setWorkspaceId(workspaceId).build();
    return call(() -> verification().getLatestCheckpoint(request)).getCheckpoint();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) channel.shutdownNow();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HyreLogException(Status.Code.CANCELLED, "interrupted", List.of(), e);
    }
  }
}
