package com.hyrelog.sdk;

import com.hyrelog.api.v1.EventServiceGrpc;
import com.hyrelog.api.v1.TailEventsRequest;
import com.hyrelog.api.v1.TailEventsResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A live tail ({@link HyreLogClient#tail}): an iterator of {@link TailedEvent}s whose
 * {@link #hasNext()} waits for the next event.
 *
 * <p>{@link #resumeToken()} is always the position after the last event returned (before the first,
 * where the stream started). When the stream ends for a transient reason (UNAVAILABLE: the gateway
 * restarted or the connection broke; RESOURCE_EXHAUSTED: the reader was too slow or the key has too
 * many streams open; DEADLINE_EXCEEDED: it took longer than the client's timeout to open), the tail
 * calls again from that token, so no event is missed or repeated: at once after a stream that
 * brought events, else after the client's backoff. When the client's maxAttempts calls in a row fail
 * to open, {@code hasNext()} throws the last failure as a {@link HyreLogException}; so does any other
 * failure, e.g. FAILED_PRECONDITION when the resume point is older than the event stream keeps (7
 * days): read the gap with ListEvents and open a new tail without a token. {@link #close()} ends the
 * tail from any thread; {@code hasNext()} then returns false.
 */
public final class EventTail implements Iterator<TailedEvent>, AutoCloseable {
  private final HyreLogClient client;
  private final Channel channel;
  private final TailEventsRequest request;
  private volatile String resumeToken;
  private volatile boolean closed;
  /** The open call, to cancel on close(); guarded by this. */
  private ClientCall<TailEventsRequest, TailEventsResponse> call;
  /** The open call's responses (null between calls); used by the reading thread only. */
  private Iterator<TailEventsResponse> responses;
  private boolean delivered;
  private TailedEvent next;

  EventTail(HyreLogClient client, Channel channel, TailEventsRequest request) {
    this.client = client;
    this.channel = channel;
    this.request = request;
    this.resumeToken = request.getResumeToken();
    connect();
  }

  /** The position after the last event returned (before the first: where the stream started). */
  public String resumeToken() {
    return resumeToken;
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      if (closed) return false;
      if (responses == null) {
        if (!connect()) return false;
        continue;
      }
      TailEventsResponse res = null;
      try {
        // false: the server ended the stream without an error; call again.
        if (responses.hasNext()) res = responses.next();
      } catch (StatusRuntimeException e) {
        if (closed) return false;
        if (!HyreLogClient.RETRYABLE.contains(e.getStatus().getCode())) throw HyreLogException.from(e);
      }
      if (closed) return false;
      if (res == null) {
        responses = null;
        // Call again at once after a stream that brought events, else after the backoff.
        if (!delivered) {
          long backoff = client.backoff().toMillis();
          HyreLogClient.sleep(ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1));
        }
        continue;
      }
      delivered = true;
      resumeToken = res.getResumeToken();
      if (res.hasEvent()) next = new TailedEvent(res.getEvent(), res.getResumeToken());
    }
    return true;
  }

  /** The next event, waiting for it. */
  @Override
  public TailedEvent next() {
    if (!hasNext()) throw new NoSuchElementException("the tail is closed");
    TailedEvent e = next;
    next = null;
    return e;
  }

  /** The tail as a sequential Stream (closing the stream closes the tail). */
  public Stream<TailedEvent> stream() {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED | Spliterator.NONNULL), false)
        .onClose(this::close);
  }

  /** Ends the tail (from any thread): the open call is cancelled, {@link #hasNext()} returns false. */
  @Override
  public void close() {
    ClientCall<TailEventsRequest, TailEventsResponse> open;
    synchronized (this) {
      closed = true;
      open = call;
      call = null;
    }
    if (open != null) open.cancel("the tail was closed", null);
  }

  /** Opens a call from the resume token, with the client's retries; false when the tail was closed meanwhile. */
  private boolean connect() {
    try {
      client.call(this::open);
    } catch (HyreLogException e) {
      if (closed) return false;
      throw e;
    }
    return !closed;
  }

  /** One call: started, and its first response (where the stream starts) read within the client's timeout. */
  private Void open() {
    ClientCall<TailEventsRequest, TailEventsResponse> c = channel.newCall(EventServiceGrpc.getTailEventsMethod(), CallOptions.DEFAULT);
    synchronized (this) {
      if (closed) throw Status.CANCELLED.withDescription("the tail was closed").asRuntimeException();
      call = c;
    }
    Iterator<TailEventsResponse> it = ClientCalls.blockingServerStreamingCall(c, request.toBuilder().setResumeToken(resumeToken).build());
    // The stream has no deadline; its opening has the client's timeout. Whichever comes first, the
    // first response or the timer, sets `settled`.
    AtomicBoolean settled = new AtomicBoolean();
    CompletableFuture.delayedExecutor(client.timeout().toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      if (settled.compareAndSet(false, true)) c.cancel("the live tail did not open in time", null);
    });
    TailEventsResponse first;
    try {
      if (!it.hasNext()) throw Status.UNAVAILABLE.withDescription("the live tail ended").asRuntimeException();
      first = it.next();
    } catch (StatusRuntimeException e) {
      if (!settled.compareAndSet(false, true) && !closed) throw timedOut();
      throw e;
    }
    if (!settled.compareAndSet(false, true)) throw timedOut();
    responses = it;
    delivered = false;
    resumeToken = first.getResumeToken();
    return null;
  }

  private static StatusRuntimeException timedOut() {
    return Status.DEADLINE_EXCEEDED.withDescription("the live tail did not open in time").asRuntimeException();
  }
}
