import com.google.protobuf.Timestamp;
import com.hyrelog.api.v1.AnalyticsGroupBy;
import com.hyrelog.api.v1.AnalyticsInterval;
import com.hyrelog.api.v1.Archive;
import com.hyrelog.api.v1.CountEventsRequest;
import com.hyrelog.api.v1.CountEventsResponse;
import com.hyrelog.api.v1.EventFilter;
import com.hyrelog.api.v1.EventInput;
import com.hyrelog.api.v1.EventResult;
import com.hyrelog.api.v1.GetInclusionProofResponse;
import com.hyrelog.api.v1.GroupCount;
import com.hyrelog.api.v1.IngestEventsResponse;
import com.hyrelog.api.v1.ListArchivesRequest;
import com.hyrelog.api.v1.ListArchivesResponse;
import com.hyrelog.api.v1.ListEventsRequest;
import com.hyrelog.api.v1.ListEventsResponse;
import com.hyrelog.common.v1.Actor;
import com.hyrelog.common.v1.AuditEvent;
import com.hyrelog.common.v1.FieldViolation;
import com.hyrelog.common.v1.Target;
import com.hyrelog.sdk.HyreLogClient;
import com.hyrelog.sdk.HyreLogException;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Ingests a batch of events, lists them back, fetches an inclusion proof for one, counts them by
 * action for the day and lists the archives, against the gateway at HYRELOG_ADDRESS (or HYRELOG_URL) with HYRELOG_WORKSPACE_KEY, into HYRELOG_PROJECT_ID.
 * Prints what it did; exits non-zero on any failure.
 */
public final class Example {
  public static void main(String[] args) throws Exception {
    String address = System.getenv("HYRELOG_ADDRESS") != null ? System.getenv("HYRELOG_ADDRESS") : System.getenv("HYRELOG_URL");
    try (HyreLogClient client = new HyreLogClient(address, System.getenv("HYRELOG_WORKSPACE_KEY"))) {
      run(client);
    } catch (HyreLogException e) {
      System.err.println("error: " + e.getMessage());
      for (FieldViolation v : e.violations()) System.err.println("  " + v.getField() + ": " + v.getDescription());
      System.exit(1);
    }
  }

  private static void run(HyreLogClient client) {
    String action = "sdk.java." + UUID.randomUUID().toString().substring(0, 8);
    // Sent with the events, so the day counted below is theirs even just before midnight UTC.
    Instant occurredAt = Instant.now();
    List<EventInput> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batch.add(EventInput.newBuilder()
          .setCategory("user")
          .setAction(action)
          .setProjectId(System.getenv("HYRELOG_PROJECT_ID"))
          .setOccurredAt(timestamp(occurredAt))
          .setActor(Actor.newBuilder().setId("svc-billing").setType("service"))
          .setTarget(Target.newBuilder().setId("user-" + i).setType("user"))
          .build());
    }
    IngestEventsResponse ingested = client.ingest(batch);
    List<String> ids = new ArrayList<>();
    for (EventResult r : ingested.getResultsList()) {
      ids.add(r.getId());
      System.out.println("ingested " + r.getId() + " sequence=" + r.getChain().getSequence());
    }

    // Two events a page, so the iteration follows a cursor.
    List<String> listed = new ArrayList<>();
    ListEventsRequest request = ListEventsRequest.newBuilder().setFilter(EventFilter.newBuilder().setAction(action)).setLimit(2).build();
    for (ListEventsResponse page : client.listEventPages(request)) {
      for (AuditEvent e : page.getEventsList()) listed.add(e.getId());
    }
    System.out.println("listed " + listed.size() + " events with action " + action);
    if (!listed.containsAll(ids) || listed.size() != ids.size()) {
      throw new IllegalStateException("listed " + listed + ", expected " + ids);
    }

    EventResult last = ingested.getResults(ingested.getResultsCount() - 1);
    GetInclusionProofResponse proof = client.inclusionProof(last.getId(), Duration.ofSeconds(30));
    System.out.println("proof " + proof.getEventId() + " leaf_index=" + proof.getLeafIndex() + " tree_size=" + proof.getTreeSize()
        + " root=" + proof.getRootHash() + " hashes=" + proof.getProofCount());
    if (!proof.getLeaf().equals(last.getChain().getHash())) {
      throw new IllegalStateException("the proof's leaf is not the event's chain hash");
    }

    // The day's events of this action, by action. The counts follow ingest within about a second:
    // ask again while events already stored are not counted yet.
    Instant day = occurredAt.truncatedTo(ChronoUnit.DAYS);
    CountEventsRequest countRequest = CountEventsRequest.newBuilder()
        .setFilter(EventFilter.newBuilder().setAction(action).setFrom(timestamp(day)).setTo(timestamp(day.plus(1, ChronoUnit.DAYS))))
        .setInterval(AnalyticsInterval.ANALYTICS_INTERVAL_DAY)
        .setGroupBy(AnalyticsGroupBy.ANALYTICS_GROUP_BY_ACTION)
        .build();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    CountEventsResponse counts = client.countEvents(countRequest);
    while (counts.getPendingEvents() > 0 && System.nanoTime() < deadline) {
      sleep(200);
      counts = client.countEvents(countRequest);
    }
    String groups = counts.getGroupsList().stream().map((GroupCount g) -> g.getKey() + ":" + g.getCount()).collect(Collectors.joining(","));
    System.out.println("counted total=" + counts.getTotal() + " buckets=" + counts.getBucketsCount() + " groups=" + groups);
    if (counts.getTotal() != ids.size() || !groups.equals(action + ":" + ids.size())) {
      throw new IllegalStateException("expected " + ids.size() + " events, all in the group " + action);
    }

    // Archives hold events past hot retention: none on a fresh stack.
    List<Archive> archives = new ArrayList<>();
    for (ListArchivesResponse page : client.listArchivePages(ListArchivesRequest.newBuilder().setLimit(10).build())) {
      archives.addAll(page.getArchivesList());
    }
    System.out.println("archives listed=" + archives.size());
    String unknown = "0190f0c0-0000-7000-8000-000000000000"; // no archive has it
    try {
      client.getArchive(unknown);
      throw new IllegalStateException("archive " + unknown + " was found");
    } catch (HyreLogException e) {
      if (e.code() != Status.Code.NOT_FOUND) throw e;
      System.out.println("archive " + unknown + " not found code=" + e.code());
    }
    System.out.println("ok");
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
