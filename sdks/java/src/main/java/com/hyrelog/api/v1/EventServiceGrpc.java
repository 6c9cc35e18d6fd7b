package com.hyrelog.api.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Record and read audit events. Workspace keys record into and read their workspace; company
 * keys read every workspace of the company and cannot record.
 * </pre>
 */
@javax.annotation.Generated(
    value = "by gRPC proto compiler",
    comments = "Source: hyrelog/api/v1/events.proto")
@io.grpc.stub.annotations.GrpcGenerated
public final class EventServiceGrpc {

  private EventServiceGrpc() {}

  public static final String SERVICE_NAME = "hyrelog.api.v1.EventService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.IngestEventsRequest,
      com.hyrelog.api.v1.IngestEventsResponse> getIngestEventsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "IngestEvents",
      requestType = com.hyrelog.api.v1.IngestEventsRequest.class,
      responseType = com.hyrelog.api.v1.IngestEventsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.IngestEventsRequest,
      com.hyrelog.api.v1.IngestEventsResponse> getIngestEventsMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.IngestEventsRequest, com.hyrelog.api.v1.IngestEventsResponse> getIngestEventsMethod;
    if ((getIngestEventsMethod = EventServiceGrpc.getIngestEventsMethod) == null) {
      synchronized (EventServiceGrpc.class) {
        if ((getIngestEventsMethod = EventServiceGrpc.getIngestEventsMethod) == null) {
          EventServiceGrpc.getIngestEventsMethod = getIngestEventsMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.IngestEventsRequest, com.hyrelog.api.v1.IngestEventsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "IngestEvents"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.IngestEventsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.IngestEventsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EventServiceMethodDescriptorSupplier("IngestEvents"))
              .build();
        }
      }
    }
    return getIngestEventsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListEventsRequest,
      com.hyrelog.api.v1.ListEventsResponse> getListEventsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListEvents",
      requestType = com.hyrelog.api.v1.ListEventsRequest.class,
      responseType = com.hyrelog.api.v1.ListEventsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListEventsRequest,
      com.hyrelog.api.v1.ListEventsResponse> getListEventsMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListEventsRequest, com.hyrelog.api.v1.ListEventsResponse> getListEventsMethod;
    if ((getListEventsMethod = EventServiceGrpc.getListEventsMethod) == null) {
      synchronized (EventServiceGrpc.class) {
        if ((getListEventsMethod = EventServiceGrpc.getListEventsMethod) == null) {
          EventServiceGrpc.getListEventsMethod = getListEventsMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.ListEventsRequest, com.hyrelog.api.v1.ListEventsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListEvents"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListEventsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListEventsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EventServiceMethodDescriptorSupplier("ListEvents"))
              .build();
        }
      }
    }
    return getListEventsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetEventRequest,
      com.hyrelog.api.v1.GetEventResponse> getGetEventMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetEvent",
      requestType = com.hyrelog.api.v1.GetEventRequest.class,
      responseType = com.hyrelog.api.v1.GetEventResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetEventRequest,
      com.hyrelog.api.v1.GetEventResponse> getGetEventMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetEventRequest, com.hyrelog.api.v1.GetEventResponse> getGetEventMethod;
    if ((getGetEventMethod = EventServiceGrpc.getGetEventMethod) == null) {
      synchronized (EventServiceGrpc.class) {
        if ((getGetEventMethod = EventServiceGrpc.getGetEventMethod) == null) {
          EventServiceGrpc.getGetEventMethod = getGetEventMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.GetEventRequest, com.hyrelog.api.v1.GetEventResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetEvent"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetEventRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetEventResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EventServiceMethodDescriptorSupplier("GetEvent"))
              .build();
        }
      }
    }
    return getGetEventMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListTargetEventsRequest,
      com.hyrelog.api.v1.ListTargetEventsResponse> getListTargetEventsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListTargetEvents",
      requestType = com.hyrelog.api.v1.ListTargetEventsRequest.class,
      responseType = com.hyrelog.api.v1.ListTargetEventsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListTargetEventsRequest,
      com.hyrelog.api.v1.ListTargetEventsResponse> getListTargetEventsMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListTargetEventsRequest, com.hyrelog.api.v1.ListTargetEventsResponse> getListTargetEventsMethod;
    if ((getListTargetEventsMethod = EventServiceGrpc.getListTargetEventsMethod) == null) {
      synchronized (EventServiceGrpc.class) {
        if ((getListTargetEventsMethod = EventServiceGrpc.getListTargetEventsMethod) == null) {
          EventServiceGrpc.getListTargetEventsMethod = getListTargetEventsMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.ListTargetEventsRequest, com.hyrelog.api.v1.ListTargetEventsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListTargetEvents"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListTargetEventsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListTargetEventsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EventServiceMethodDescriptorSupplier("ListTargetEvents"))
              .build();
        }
      }
    }
    return getListTargetEventsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.TailEventsRequest,
      com.hyrelog.api.v1.TailEventsResponse> getTailEventsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "TailEvents",
      requestType = com.hyrelog.api.v1.TailEventsRequest.class,
      responseType = com.hyrelog.api.v1.TailEventsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.TailEventsRequest,
      com.hyrelog.api.v1.TailEventsResponse> getTailEventsMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.TailEventsRequest, com.hyrelog.api.v1.TailEventsResponse> getTailEventsMethod;
    if ((getTailEventsMethod = EventServiceGrpc.getTailEventsMethod) == null) {
      synchronized (EventServiceGrpc.class) {
        if ((getTailEventsMethod = EventServiceGrpc.getTailEventsMethod) == null) {
          EventServiceGrpc.getTailEventsMethod = getTailEventsMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.TailEventsRequest, com.hyrelog.api.v1.TailEventsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.SERVER_STREAMING)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "TailEvents"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.TailEventsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.TailEventsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new EventServiceMethodDescriptorSupplier("TailEvents"))
              .build();
        }
      }
    }
    return getTailEventsMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static EventServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<EventServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<EventServiceStub>() {
        @java.lang.Override
        public EventServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new EventServiceStub(channel, callOptions);
        }
      };
    return EventServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static EventServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<EventServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<EventServiceBlockingStub>() {
        @java.lang.Override
        public EventServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new EventServiceBlockingStub(channel, callOptions);
        }
      };
    return EventServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static EventServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<EventServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<EventServiceFutureStub>() {
        @java.lang.Override
        public EventServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new EventServiceFutureStub(channel, callOptions);
        }
      };
    return EventServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Record and read audit events. Workspace keys record into and read their workspace; company
   * keys read every workspace of the company and cannot record.
   * </pre>
   */
  public static abstract class EventServiceImplBase implements io.grpc.BindableService {

    /**
     * <pre>
     * Records one or more events (at most 1,000, 1 MiB) atomically: every event is stored, or found
     * to be a retry of a stored one by its idempotency key, or on INVALID_ARGUMENT none is.
     * Returns after the events are durable, with each event's id and chain position.
     * </pre>
     */
    public void ingestEvents(com.hyrelog.api.v1.IngestEventsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.IngestEventsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getIngestEventsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Newest first, filtered; page with next_cursor. Never skips or repeats an event.
     * </pre>
     */
    public void listEvents(com.hyrelog.api.v1.ListEventsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListEventsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListEventsMethod(), responseObserver);
    }

    /**
     */
    public void getEvent(com.hyrelog.api.v1.GetEventRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetEventResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetEventMethod(), responseObserver);
    }

    /**
     * <pre>
     * One resource's history, oldest first, with its state after each event's changes.
     * </pre>
     */
    public void listTargetEvents(com.hyrelog.api.v1.ListTargetEventsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListTargetEventsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListTargetEventsMethod(), responseObserver);
    }

    /**
     * <pre>
     * Live tail: events stored from now on (or right after resume_token), oldest first, each once.
     * The first response carries only a resume token (where the stream starts). Keep the last token
     * you received and call again with it after any end of the stream: RESOURCE_EXHAUSTED (you read
     * too slowly, or the key has too many streams open), UNAVAILABLE (the gateway restarted).
     * FAILED_PRECONDITION: the resume point is older than the event stream keeps (7 days); read
     * the gap with ListEvents and start again without a token.
     * </pre>
     */
    public void tailEvents(com.hyrelog.api.v1.TailEventsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.TailEventsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getTailEventsMethod(), responseObserver);
    }

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
          .addMethod(
            getIngestEventsMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.IngestEventsRequest,
                com.hyrelog.api.v1.IngestEventsResponse>(
                  this, METHODID_INGEST_EVENTS)))
          .addMethod(
            getListEventsMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.ListEventsRequest,
                com.hyrelog.api.v1.ListEventsResponse>(
                  this, METHODID_LIST_EVENTS)))
          .addMethod(
            getGetEventMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.GetEventRequest,
                com.hyrelog.api.v1.GetEventResponse>(
                  this, METHODID_GET_EVENT)))
          .addMethod(
            getListTargetEventsMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.ListTargetEventsRequest,
                com.hyrelog.api.v1.ListTargetEventsResponse>(
                  this, METHODID_LIST_TARGET_EVENTS)))
          .addMethod(
            getTailEventsMethod(),
            io.grpc.stub.ServerCalls.asyncServerStreamingCall(
              new MethodHandlers<
                com.hyrelog.api.v1.TailEventsRequest,
                com.hyrelog.api.v1.TailEventsResponse>(
                  this, METHODID_TAIL_EVENTS)))
          .build();
    }
  }

  /**
   * <pre>
   * Record and read audit events. Workspace keys record into and read their workspace; company
   * keys read every workspace of the company and cannot record.
   * </pre>
   */
  public static final class EventServiceStub extends io.grpc.stub.AbstractAsyncStub<EventServiceStub> {
    private EventServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected EventServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new EventServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Records one or more events (at most 1,000, 1 MiB) atomically: every event is stored, or found
     * to be a retry of a stored one by its idempotency key, or on INVALID_ARGUMENT none is.
     * Returns after the events are durable, with each event's id and chain position.
     * </pre>
     */
    public void ingestEvents(com.hyrelog.api.v1.IngestEventsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.IngestEventsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getIngestEventsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Newest first, filtered; page with next_cursor. Never skips or repeats an event.
     * </pre>
     */
    public void listEvents(com.hyrelog.api.v1.ListEventsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListEventsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListEventsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void getEvent(com.hyrelog.api.v1.GetEventRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetEventResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetEventMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * One resource's history, oldest first, with its state after each event's changes.
     * </pre>
     */
    public void listTargetEvents(com.hyrelog.api.v1.ListTargetEventsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListTargetEventsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListTargetEventsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Live tail: events stored from now on (or right after resume_token), oldest first, each once.
     * The first response carries only a resume token (where the stream starts). Keep the last token
     * you received and call again with it after any end of the stream: RESOURCE_EXHAUSTED (you read
     * too slowly, or the key has too many streams open), UNAVAILABLE (the gateway restarted).
     * FAILED_PRECONDITION: the resume point is older than the event stream keeps (7 days); read
     * the gap with ListEvents and start again without a token.
     * </pre>
     */
    public void tailEvents(com.hyrelog.api.v1.TailEventsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.TailEventsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncServerStreamingCall(
          getChannel().newCall(getTailEventsMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * <pre>
   * Record and read audit events. Workspace keys record into and read their workspace; company
   * keys read every workspace of the company and cannot record.
   * </pre>
   */
  public static final class EventServiceBlockingStub extends io.grpc.stub.AbstractBlockingStub<EventServiceBlockingStub> {
    private EventServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected EventServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new EventServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Records one or more events (at most 1,000, 1 MiB) atomically: every event is stored, or found
     * to be a retry of a stored one by its idempotency key, or on INVALID_ARGUMENT none is.
     * Returns after the events are durable, with each event's id and chain position.
     * </pre>
     */
    public com.hyrelog.api.v1.IngestEventsResponse ingestEvents(com.hyrelog.api.v1.IngestEventsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getIngestEventsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Newest first, filtered; page with next_cursor. Never skips or repeats an event.
     * </pre>
     */
    public com.hyrelog.api.v1.ListEventsResponse listEvents(com.hyrelog.api.v1.ListEventsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListEventsMethod(), getCallOptions(), request);
    }

    /**
     */
    public com.hyrelog.api.v1.GetEventResponse getEvent(com.hyrelog.api.v1.GetEventRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetEventMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * One resource's history, oldest first, with its state after each event's changes.
     * </pre>
     */
    public com.hyrelog.api.v1.ListTargetEventsResponse listTargetEvents(com.hyrelog.api.v1.ListTargetEventsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListTargetEventsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Live tail: events stored from now on (or right after resume_token), oldest first, each once.
     * The first response carries only a resume token (where the stream starts). Keep the last token
     * you received and call again with it after any end of the stream: RESOURCE_EXHAUSTED (you read
     * too slowly, or the key has too many streams open), UNAVAILABLE (the gateway restarted).
     * FAILED_PRECONDITION: the resume point is older than the event stream keeps (7 days); read
     * the gap with ListEvents and start again without a token.
     * </pre>
     */
    public java.util.Iterator<com.hyrelog.api.v1.TailEventsResponse> tailEvents(
        com.hyrelog.api.v1.TailEventsRequest request) {
      return io.grpc.stub.ClientCalls.blockingServerStreamingCall(
          getChannel(), getTailEventsMethod(), getCallOptions(), request);
    }
  }

  /**
   * <pre>
   * Record and read audit events. Workspace keys record into and read their workspace; company
   * keys read every workspace of the company and cannot record.
   * </pre>
   */
  public static final class EventServiceFutureStub extends io.grpc.stub.AbstractFutureStub<EventServiceFutureStub> {
    private EventServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected EventServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new EventServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Records one or more events (at most 1,000, 1 MiB) atomically: every event is stored, or found
     * to be a retry of a stored one by its idempotency key, or on INVALID_ARGUMENT none is.
     * Returns after the events are durable, with each event's id and chain position.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.IngestEventsResponse> ingestEvents(
        com.hyrelog.api.v1.IngestEventsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getIngestEventsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Newest first, filtered; page with next_cursor. Never skips or repeats an event.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.ListEventsResponse> listEvents(
        com.hyrelog.api.v1.ListEventsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListEventsMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.GetEventResponse> getEvent(
        com.hyrelog.api.v1.GetEventRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetEventMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * One resource's history, oldest first, with its state after each event's changes.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.ListTargetEventsResponse> listTargetEvents(
        com.hyrelog.api.v1.ListTargetEventsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListTargetEventsMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_INGEST_EVENTS = 0;
  private static final int METHODID_LIST_EVENTS = 1;
  private static final int METHODID_GET_EVENT = 2;
  private static final int METHODID_LIST_TARGET_EVENTS = 3;
  private static final int METHODID_TAIL_EVENTS = 4;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final EventServiceImplBase serviceImpl;
    private final int methodId;

    MethodHandlers(EventServiceImplBase serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_INGEST_EVENTS:
          serviceImpl.ingestEvents((com.hyrelog.api.v1.IngestEventsRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.IngestEventsResponse>) responseObserver);
          break;
        case METHODID_LIST_EVENTS:
          serviceImpl.listEvents((com.hyrelog.api.v1.ListEventsRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListEventsResponse>) responseObserver);
          break;
        case METHODID_GET_EVENT:
          serviceImpl.getEvent((com.hyrelog.api.v1.GetEventRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetEventResponse>) responseObserver);
          break;
        case METHODID_LIST_TARGET_EVENTS:
          serviceImpl.listTargetEvents((com.hyrelog.api.v1.ListTargetEventsRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListTargetEventsResponse>) responseObserver);
          break;
        case METHODID_TAIL_EVENTS:
          serviceImpl.tailEvents((com.hyrelog.api.v1.TailEventsRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.TailEventsResponse>) responseObserver);
          break;
        default:
          throw new AssertionError();
      }
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public io.grpc.stub.StreamObserver<Req> invoke(
        io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        default:
          throw new AssertionError();
      }
    }
  }

  private static abstract class EventServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    EventServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return com.hyrelog.api.v1.EventsProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("EventService");
    }
  }

  private static final class EventServiceFileDescriptorSupplier
      extends EventServiceBaseDescriptorSupplier {
    EventServiceFileDescriptorSupplier() {}
  }

  private static final class EventServiceMethodDescriptorSupplier
      extends EventServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final String methodName;

    EventServiceMethodDescriptorSupplier(String methodName) {
      this.methodName = methodName;
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.MethodDescriptor getMethodDescriptor() {
      return getServiceDescriptor().findMethodByName(methodName);
    }
  }

  private static volatile io.grpc.ServiceDescriptor serviceDescriptor;

  public static io.grpc.ServiceDescriptor getServiceDescriptor() {
    io.grpc.ServiceDescriptor result = serviceDescriptor;
    if (result == null) {
      synchronized (EventServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new EventServiceFileDescriptorSupplier())
              .addMethod(getIngestEventsMethod())
              .addMethod(getListEventsMethod())
              .addMethod(getGetEventMethod())
              .addMethod(getListTargetEventsMethod())
              .addMethod(getTailEventsMethod())
              .build();
        }
      }
    }
    return result;
  }
}
