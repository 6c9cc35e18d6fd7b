import com.hyrelog.api.v1.EventFilter;
import com.hyrelog.api.v1.EventInput;
import com.hyrelog.api.v1.EventResult;
import com.hyrelog.api.v1.GetInclusionProofResponse;
import com.hyrelog.api.v1.IngestEventsResponse;
import com.hyrelog.api.v1.ListEventsRequest;
import com.hyrelog.api.v1.ListEventsResponse;
import com.hyrelog.common.v1.Actor;
import com.hyrelog.common.v1.AuditEvent;
import com.hyrelog.common.v1.FieldViolation;
import com.hyrelog.common.v1.Target;
import com.hyrelog.sdk.HyreLogClient;
import com.hyrelog.sdk.HyreLogException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Ingests a batch of events, lists them back and fetches an inclusion proof for one, against the
 * gateway at HYRELOG_ADDRESS (or HYRELOG_URL) with HYRELOG_WORKSPACE_KEY, into HYRELOG_PROJECT_ID.
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
    List<EventInput> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      batch.add(EventInput.newBuilder()
          .setCategory("user")
          .setAction(action)
          .setProjectId(System.getenv("HYRELOG_PROJECT_ID"))
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
    System.out.println("ok");
  }
}
