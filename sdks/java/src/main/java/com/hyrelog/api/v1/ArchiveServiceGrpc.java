package com.hyrelog.api.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * A company key sees every archive of its company, a workspace key its own workspace's. Each
 * archive is a gzipped JSON-lines object that `hyrelog verify --archive` checks offline.
 * </pre>
 */
@javax.annotation.Generated(
    value = "by gRPC proto compiler",
    comments = "Source: hyrelog/api/v1/archives.proto")
@io.grpc.stub.annotations.GrpcGenerated
public final class ArchiveServiceGrpc {

  private ArchiveServiceGrpc() {}

  public static final String SERVICE_NAME = "hyrelog.api.v1.ArchiveService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListArchivesRequest,
      com.hyrelog.api.v1.ListArchivesResponse> getListArchivesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListArchives",
      requestType = com.hyrelog.api.v1.ListArchivesRequest.class,
      responseType = com.hyrelog.api.v1.ListArchivesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListArchivesRequest,
      com.hyrelog.api.v1.ListArchivesResponse> getListArchivesMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListArchivesRequest, com.hyrelog.api.v1.ListArchivesResponse> getListArchivesMethod;
    if ((getListArchivesMethod = ArchiveServiceGrpc.getListArchivesMethod) == null) {
      synchronized (ArchiveServiceGrpc.class) {
        if ((getListArchivesMethod = ArchiveServiceGrpc.getListArchivesMethod) == null) {
          ArchiveServiceGrpc.getListArchivesMethod = getListArchivesMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.ListArchivesRequest, com.hyrelog.api.v1.ListArchivesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListArchives"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListArchivesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListArchivesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ArchiveServiceMethodDescriptorSupplier("ListArchives"))
              .build();
        }
      }
    }
    return getListArchivesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetArchiveRequest,
      com.hyrelog.api.v1.GetArchiveResponse> getGetArchiveMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetArchive",
      requestType = com.hyrelog.api.v1.GetArchiveRequest.class,
      responseType = com.hyrelog.api.v1.GetArchiveResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetArchiveRequest,
      com.hyrelog.api.v1.GetArchiveResponse> getGetArchiveMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetArchiveRequest, com.hyrelog.api.v1.GetArchiveResponse> getGetArchiveMethod;
    if ((getGetArchiveMethod = ArchiveServiceGrpc.getGetArchiveMethod) == null) {
      synchronized (ArchiveServiceGrpc.class) {
        if ((getGetArchiveMethod = ArchiveServiceGrpc.getGetArchiveMethod) == null) {
          ArchiveServiceGrpc.getGetArchiveMethod = getGetArchiveMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.GetArchiveRequest, com.hyrelog.api.v1.GetArchiveResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetArchive"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetArchiveRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetArchiveResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ArchiveServiceMethodDescriptorSupplier("GetArchive"))
              .build();
        }
      }
    }
    return getGetArchiveMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static ArchiveServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ArchiveServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ArchiveServiceStub>() {
        @java.lang.Override
        public ArchiveServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ArchiveServiceStub(channel, callOptions);
        }
      };
    return ArchiveServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static ArchiveServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ArchiveServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ArchiveServiceBlockingStub>() {
        @java.lang.Override
        public ArchiveServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ArchiveServiceBlockingStub(channel, callOptions);
        }
      };
    return ArchiveServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static ArchiveServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ArchiveServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ArchiveServiceFutureStub>() {
        @java.lang.Override
        public ArchiveServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ArchiveServiceFutureStub(channel, callOptions);
        }
      };
    return ArchiveServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * A company key sees every archive of its company, a workspace key its own workspace's. Each
   * archive is a gzipped JSON-lines object that `hyrelog verify --archive` checks offline.
   * </pre>
   */
  public static abstract class ArchiveServiceImplBase implements io.grpc.BindableService {

    /**
     * <pre>
     * Newest first, a page at a time (the cursor contract of every list: pass next_cursor, with the
     * same workspace_id, for the next page). INVALID_ARGUMENT names `limit` or `cursor`.
     * </pre>
     */
    public void listArchives(com.hyrelog.api.v1.ListArchivesRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListArchivesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListArchivesMethod(), responseObserver);
    }

    /**
     * <pre>
     * One archive, with a presigned download URL while it is readable (not cold, or restored).
     * NOT_FOUND for an archive of another company (or another workspace, for a workspace key).
     * </pre>
     */
    public void getArchive(com.hyrelog.api.v1.GetArchiveRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetArchiveResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetArchiveMethod(), responseObserver);
    }

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
          .addMethod(
            getListArchivesMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.ListArchivesRequest,
                com.hyrelog.api.v1.ListArchivesResponse>(
                  this, METHODID_LIST_ARCHIVES)))
          .addMethod(
            getGetArchiveMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.GetArchiveRequest,
                com.hyrelog.api.v1.GetArchiveResponse>(
                  this, METHODID_GET_ARCHIVE)))
          .build();
    }
  }

  /**
   * <pre>
   * A company key sees every archive of its company, a workspace key its own workspace's. Each
   * archive is a gzipped JSON-lines object that `hyrelog verify --archive` checks offline.
   * </pre>
   */
  public static final class ArchiveServiceStub extends io.grpc.stub.AbstractAsyncStub<ArchiveServiceStub> {
    private ArchiveServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ArchiveServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ArchiveServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Newest first, a page at a time (the cursor contract of every list: pass next_cursor, with the
     * same workspace_id, for the next page). INVALID_ARGUMENT names `limit` or `cursor`.
     * </pre>
     */
    public void listArchives(com.hyrelog.api.v1.ListArchivesRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListArchivesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListArchivesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * One archive, with a presigned download URL while it is readable (not cold, or restored).
     * NOT_FOUND for an archive of another company (or another workspace, for a workspace key).
     * </pre>
     */
    public void getArchive(com.hyrelog.api.v1.GetArchiveRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetArchiveResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetArchiveMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * <pre>
   * A company key sees every archive of its company, a workspace key its own workspace's. Each
   * archive is a gzipped JSON-lines object that `hyrelog verify --archive` checks offline.
   * </pre>
   */
  public static final class ArchiveServiceBlockingStub extends io.grpc.stub.AbstractBlockingStub<ArchiveServiceBlockingStub> {
    private ArchiveServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ArchiveServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ArchiveServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Newest first, a page at a time (the cursor contract of every list: pass next_cursor, with the
     * same workspace_id, for the next page). INVALID_ARGUMENT names `limit` or `cursor`.
     * </pre>
     */
    public com.hyrelog.api.v1.ListArchivesResponse listArchives(com.hyrelog.api.v1.ListArchivesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListArchivesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * One archive, with a presigned download URL while it is readable (not cold, or restored).
     * NOT_FOUND for an archive of another company (or another workspace, for a workspace key).
     * </pre>
     */
    public com.hyrelog.api.v1.GetArchiveResponse getArchive(com.hyrelog.api.v1.GetArchiveRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetArchiveMethod(), getCallOptions(), request);
    }
  }

  /**
   * <pre>
   * A company key sees every archive of its company, a workspace key its own workspace's. Each
   * archive is a gzipped JSON-lines object that `hyrelog verify --archive` checks offline.
   * </pre>
   */
  public static final class ArchiveServiceFutureStub extends io.grpc.stub.AbstractFutureStub<ArchiveServiceFutureStub> {
    private ArchiveServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ArchiveServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ArchiveServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Newest first, a page at a time (the cursor contract of every list: pass next_cursor, with the
     * same workspace_id, for the next page). INVALID_ARGUMENT names `limit` or `cursor`.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.ListArchivesResponse> listArchives(
        com.hyrelog.api.v1.ListArchivesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListArchivesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * One archive, with a presigned download URL while it is readable (not cold, or restored).
     * NOT_FOUND for an archive of another company (or another workspace, for a workspace key).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.GetArchiveResponse> getArchive(
        com.hyrelog.api.v1.GetArchiveRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetArchiveMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_LIST_ARCHIVES = 0;
  private static final int METHODID_GET_ARCHIVE = 1;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final ArchiveServiceImplBase serviceImpl;
    private final int methodId;

    MethodHandlers(ArchiveServiceImplBase serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_LIST_ARCHIVES:
          serviceImpl.listArchives((com.hyrelog.api.v1.ListArchivesRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListArchivesResponse>) responseObserver);
          break;
        case METHODID_GET_ARCHIVE:
          serviceImpl.getArchive((com.hyrelog.api.v1.GetArchiveRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetArchiveResponse>) responseObserver);
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

  private static abstract class ArchiveServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    ArchiveServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return com.hyrelog.api.v1.ArchivesProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("ArchiveService");
    }
  }

  private static final class ArchiveServiceFileDescriptorSupplier
      extends ArchiveServiceBaseDescriptorSupplier {
    ArchiveServiceFileDescriptorSupplier() {}
  }

  private static final class ArchiveServiceMethodDescriptorSupplier
      extends ArchiveServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final String methodName;

    ArchiveServiceMethodDescriptorSupplier(String methodName) {
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
      synchronized (ArchiveServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new ArchiveServiceFileDescriptorSupplier())
              .addMethod(getListArchivesMethod())
              .addMethod(getGetArchiveMethod())
              .build();
        }
      }
    }
    return result;
  }
}
