package com.hyrelog.api.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Counts of the key's events: a workspace key counts its workspace, a company key every workspace
 * of the company (or the one filter.workspace_id names).
 * </pre>
 */
@javax.annotation.Generated(
    value = "by gRPC proto compiler",
    comments = "Source: hyrelog/api/v1/analytics.proto")
@io.grpc.stub.annotations.GrpcGenerated
public final class AnalyticsServiceGrpc {

  private AnalyticsServiceGrpc() {}

  public static final String SERVICE_NAME = "hyrelog.api.v1.AnalyticsService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.CountEventsRequest,
      com.hyrelog.api.v1.CountEventsResponse> getCountEventsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CountEvents",
      requestType = com.hyrelog.api.v1.CountEventsRequest.class,
      responseType = com.hyrelog.api.v1.CountEventsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.CountEventsRequest,
      com.hyrelog.api.v1.CountEventsResponse> getCountEventsMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.CountEventsRequest, com.hyrelog.api.v1.CountEventsResponse> getCountEventsMethod;
    if ((getCountEventsMethod = AnalyticsServiceGrpc.getCountEventsMethod) == null) {
      synchronized (AnalyticsServiceGrpc.class) {
        if ((getCountEventsMethod = AnalyticsServiceGrpc.getCountEventsMethod) == null) {
          AnalyticsServiceGrpc.getCountEventsMethod = getCountEventsMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.CountEventsRequest, com.hyrelog.api.v1.CountEventsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CountEvents"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CountEventsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CountEventsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new AnalyticsServiceMethodDescriptorSupplier("CountEvents"))
              .build();
        }
      }
    }
    return getCountEventsMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static AnalyticsServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AnalyticsServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AnalyticsServiceStub>() {
        @java.lang.Override
        public AnalyticsServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AnalyticsServiceStub(channel, callOptions);
        }
      };
    return AnalyticsServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static AnalyticsServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AnalyticsServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AnalyticsServiceBlockingStub>() {
        @java.lang.Override
        public AnalyticsServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AnalyticsServiceBlockingStub(channel, callOptions);
        }
      };
    return AnalyticsServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static AnalyticsServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<AnalyticsServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<AnalyticsServiceFutureStub>() {
        @java.lang.Override
        public AnalyticsServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new AnalyticsServiceFutureStub(channel, callOptions);
        }
      };
    return AnalyticsServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Counts of the key's events: a workspace key counts its workspace, a company key every workspace
   * of the company (or the one filter.workspace_id names).
   * </pre>
   */
  public static abstract class AnalyticsServiceImplBase implements io.grpc.BindableService {

    /**
     * <pre>
     * Event counts per bucket, optionally split by one dimension, with the freshness of the rollups.
     * INVALID_ARGUMENT names the field to fix (a filter rollups cannot answer, a range of more than
     * 744 hourly or 366 daily buckets, an unknown interval or dimension, a limit over 100);
     * PERMISSION_DENIED for a workspace key naming another workspace; NOT_FOUND for another
     * company's workspace or project; DEADLINE_EXCEEDED when the question reads too many rollup rows.
     * </pre>
     */
    public void countEvents(com.hyrelog.api.v1.CountEventsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CountEventsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCountEventsMethod(), responseObserver);
    }

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
          .addMethod(
            getCountEventsMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.CountEventsRequest,
                com.hyrelog.api.v1.CountEventsResponse>(
                  this, METHODID_COUNT_EVENTS)))
          .build();
    }
  }

  /**
   * <pre>
   * Counts of the key's events: a workspace key counts its workspace, a company key every workspace
   * of the company (or the one filter.workspace_id names).
   * </pre>
   */
  public static final class AnalyticsServiceStub extends io.grpc.stub.AbstractAsyncStub<AnalyticsServiceStub> {
    private AnalyticsServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AnalyticsServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AnalyticsServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Event counts per bucket, optionally split by one dimension, with the freshness of the rollups.
     * INVALID_ARGUMENT names the field to fix (a filter rollups cannot answer, a range of more than
     * 744 hourly or 366 daily buckets, an unknown interval or dimension, a limit over 100);
     * PERMISSION_DENIED for a workspace key naming another workspace; NOT_FOUND for another
     * company's workspace or project; DEADLINE_EXCEEDED when the question reads too many rollup rows.
     * </pre>
     */
    public void countEvents(com.hyrelog.api.v1.CountEventsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CountEventsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCountEventsMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * <pre>
   * Counts of the key's events: a workspace key counts its workspace, a company key every workspace
   * of the company (or the one filter.workspace_id names).
   * </pre>
   */
  public static final class AnalyticsServiceBlockingStub extends io.grpc.stub.AbstractBlockingStub<AnalyticsServiceBlockingStub> {
    private AnalyticsServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AnalyticsServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AnalyticsServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Event counts per bucket, optionally split by one dimension, with the freshness of the rollups.
     * INVALID_ARGUMENT names the field to fix (a filter rollups cannot answer, a range of more than
     * 744 hourly or 366 daily buckets, an unknown interval or dimension, a limit over 100);
     * PERMISSION_DENIED for a workspace key naming another workspace; NOT_FOUND for another
     * company's workspace or project; DEADLINE_EXCEEDED when the question reads too many rollup rows.
     * </pre>
     */
    public com.hyrelog.api.v1.CountEventsResponse countEvents(com.hyrelog.api.v1.CountEventsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCountEventsMethod(), getCallOptions(), request);
    }
  }

  /**
   * <pre>
   * Counts of the key's events: a workspace key counts its workspace, a company key every workspace
   * of the company (or the one filter.workspace_id names).
   * </pre>
   */
  public static final class AnalyticsServiceFutureStub extends io.grpc.stub.AbstractFutureStub<AnalyticsServiceFutureStub> {
    private AnalyticsServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected AnalyticsServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new AnalyticsServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Event counts per bucket, optionally split by one dimension, with the freshness of the rollups.
     * INVALID_ARGUMENT names the field to fix (a filter rollups cannot answer, a range of more than
     * 744 hourly or 366 daily buckets, an unknown interval or dimension, a limit over 100);
     * PERMISSION_DENIED for a workspace key naming another workspace; NOT_FOUND for another
     * company's workspace or project; DEADLINE_EXCEEDED when the question reads too many rollup rows.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.CountEventsResponse> countEvents(
        com.hyrelog.api.v1.CountEventsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCountEventsMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_COUNT_EVENTS = 0;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final AnalyticsServiceImplBase serviceImpl;
    private final int methodId;

    MethodHandlers(AnalyticsServiceImplBase serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_COUNT_EVENTS:
          serviceImpl.countEvents((com.hyrelog.api.v1.CountEventsRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CountEventsResponse>) responseObserver);
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

  private static abstract class AnalyticsServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    AnalyticsServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return com.hyrelog.api.v1.AnalyticsProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("AnalyticsService");
    }
  }

  private static final class AnalyticsServiceFileDescriptorSupplier
      extends AnalyticsServiceBaseDescriptorSupplier {
    AnalyticsServiceFileDescriptorSupplier() {}
  }

  private static final class AnalyticsServiceMethodDescriptorSupplier
      extends AnalyticsServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final String methodName;

    AnalyticsServiceMethodDescriptorSupplier(String methodName) {
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
      synchronized (AnalyticsServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new AnalyticsServiceFileDescriptorSupplier())
              .addMethod(getCountEventsMethod())
              .build();
        }
      }
    }
    return result;
  }
}
