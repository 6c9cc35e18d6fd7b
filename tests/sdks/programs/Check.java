import com.hyrelog.api.v1.EventFilter;
import com.hyrelog.api.v1.EventInput;
import com.hyrelog.api.v1.EventResult;
import com.hyrelog.api.v1.TailEventsRequest;
import com.hyrelog.common.v1.Actor;
import com.hyrelog.common.v1.Target;
import com.hyrelog.sdk.EventTail;
import com.hyrelog.sdk.HyreLogClient;
import com.hyrelog.sdk.HyreLogException;
import com.hyrelog.sdk.TailedEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What tests/sdks/sdks.test.ts runs of the Java SDK against a real stack.
 *
 * <ul>
 *   <li>{@code Check tail}: tails through HYRELOG_PROXY_ADDRESS (a proxy that cuts the connection once,
 *       right after the first event): ingests an event and sees it arrive, ingests another and sees it
 *       after the tail's own reconnect; then ingests a third and resumes a new tail from the last
 *       token: it must bring the third and nothing before it; a tail from a token that is no token
 *       fails at once (INVALID_ARGUMENT), one against HYRELOG_SILENT_ADDRESS (never answers) after
 *       its attempts' timeouts.
 *   <li>{@code Check retry}: ingests one event through HYRELOG_PROXY_ADDRESS, a proxy that loses the
 *       first answer after the server stored the event; the client's retry must find it.
 * </ul>
 *
 * Prints one line per step ("tailed <id> <token>", ...); exits non-zero on any failure.
 */
public final class Check {
  private static final String ACTION = System.getenv("HYRELOG_ACTION");
  private static final String KEY = System.getenv("HYRELOG_WORKSPACE_KEY");

  public static void main(String[] args) throws Exception {
    try {
      switch (args[0]) {
        case "tail" -> tail();
        case "retry" -> retry();
        default -> throw new IllegalArgumentException("unknown mode " + args[0]);
      }
    } catch (HyreLogException | IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(1);
    }
    System.out.println("ok");
    System.exit(0);
  }

  private static EventInput event(int i) {
    return EventInput.newBuilder()
        .setCategory("sdk")
        .setAction(ACTION)
        .setProjectId(System.getenv("HYRELOG_PROJECT_ID"))
        .setActor(Actor.newBuilder().setId("svc-check").setType("service"))
        .setTarget(Target.newBuilder().setId("doc-" + i).setType("document"))
        .build();
  }

  private static String ingest(HyreLogClient client, int i) {
    String id = client.ingest(List.of(event(i))).getResults(0).getId();
    System.out.println("ingested " + id);
    return id;
  }

  /** The tail's next event; a tail that waits longer than 30 s is closed (the run fails instead of hanging). */
  private static TailedEvent next(EventTail tail) {
    CompletableFuture.delayedExecutor(30, TimeUnit.SECONDS).execute(tail::close);
    if (!tail.hasNext()) throw new IllegalStateException("the tail ended before the event came");
    return tail.next();
  }

  private static void expect(String what, String got, String want) {
    if (!got.equals(want)) throw new IllegalStateException(what + ": got " + got + ", expected " + want);
  }

  private static void tail() throws Exception {
    TailEventsRequest request = TailEventsRequest.newBuilder().setFilter(EventFilter.newBuilder().setAction(ACTION)).build();
    String token;
    try (HyreLogClient direct = new HyreLogClient(System.getenv("HYRELOG_ADDRESS"), KEY);
        HyreLogClient proxied = new HyreLogClient(System.getenv("HYRELOG_PROXY_ADDRESS"), KEY, Duration.ofSeconds(10), 4,
            Duration.ofMillis(50), Duration.ofSeconds(5))) {
      try (EventTail tail = proxied.tail(request)) {
        System.out.println("open " + tail.resumeToken());
        String first = ingest(direct, 0);
        TailedEvent got = next(tail);
        System.out.println("tailed " + got.event().getId() + " " + got.resumeToken());
        expect("first tailed event", got.event().getId(), first);
        String second = ingest(direct, 1);
        got = next(tail);
        System.out.println("tailed " + got.event().getId() + " " + got.resumeToken());
        expect("tailed after the reconnect", got.event().getId(), second);
        token = tail.resumeToken();
      }
      String third = ingest(direct, 2);
      try (EventTail resumed = direct.tail(request.toBuilder().setResumeToken(token).build())) {
        TailedEvent got = next(resumed);
        System.out.println("resumed " + got.event().getId() + " " + got.resumeToken());
        expect("resumed", got.event().getId(), third);
      }
      // A failure that is no passing condition is thrown, not retried.
      try (EventTail refused = direct.tail(request.toBuilder().setResumeToken("not-a-token").build())) {
        throw new IllegalStateException("a tail from a token that is no token was opened");
      } catch (HyreLogException e) {
        System.out.println("refused " + e.code());
      }
    }
    // A gateway that takes the connection and never answers: each opening gets the timeout, then the
    // tail gives up with DEADLINE_EXCEEDED after maxAttempts.
    try (HyreLogClient silent = new HyreLogClient(System.getenv("HYRELOG_SILENT_ADDRESS"), KEY, Duration.ofMillis(500), 2,
        Duration.ofMillis(50), Duration.ofSeconds(1))) {
      try (EventTail never = silent.tail(request)) {
        throw new IllegalStateException("a tail opened against a server that never answers");
      } catch (HyreLogException e) {
        System.out.println("timed out " + e.code());
      }
    }
  }

  private static void retry() throws Exception {
    try (HyreLogClient proxied = new HyreLogClient(System.getenv("HYRELOG_PROXY_ADDRESS"), KEY, Duration.ofSeconds(10), 6,
        Duration.ofMillis(100), Duration.ofSeconds(5))) {
      EventResult r = proxied.ingest(List.of(event(0))).getResults(0);
      System.out.println("ingested " + r.getId() + " duplicate=" + r.getDuplicate());
    }
  }
}
