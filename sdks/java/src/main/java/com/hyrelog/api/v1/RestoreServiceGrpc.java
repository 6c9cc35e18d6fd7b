package com.hyrelog.api.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Company keys only (PERMISSION_DENIED for a workspace key). A request waits PENDING until
 * HyreLog staff approve or reject it in the dashboard; once approved the archival service
 * restores the archive, which then reads (GetArchive's URL, ARCHIVED exports) for the request's
 * days. NOT_FOUND for a request or archive of another company.
 * </pre>
 */
@javax.annotation.Generated(
    value = "by gRPC proto compiler",
    comments = "Source: hyrelog/api/v1/restores.proto")
@io.grpc.stub.annotations.GrpcGenerated
public final class RestoreServiceGrpc {

  private RestoreServiceGrpc() {}

  public static final String SERVICE_NAME = "hyrelog.api.v1.RestoreService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateRestoreRequestRequest,
      com.hyrelog.api.v1.CreateRestoreRequestResponse> getCreateRestoreRequestMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateRestoreRequest",
      requestType = com.hyrelog.api.v1.CreateRestoreRequestRequest.class,
      responseType = com.hyrelog.api.v1.CreateRestoreRequestResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateRestoreRequestRequest,
      com.hyrelog.api.v1.CreateRestoreRequestResponse> getCreateRestoreRequestMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateRestoreRequestRequest, com.hyrelog.api.v1.CreateRestoreRequestResponse> getCreateRestoreRequestMethod;
    if ((getCreateRestoreRequestMethod = RestoreServiceGrpc.getCreateRestoreRequestMethod) == null) {
      synchronized (RestoreServiceGrpc.class) {
        if ((getCreateRestoreRequestMethod = RestoreServiceGrpc.getCreateRestoreRequestMethod) == null) {
          RestoreServiceGrpc.getCreateRestoreRequestMethod = getCreateRestoreRequestMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.CreateRestoreRequestRequest, com.hyrelog.api.v1.CreateRestoreRequestResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateRestoreRequest"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CreateRestoreRequestRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CreateRestoreRequestResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RestoreServiceMethodDescriptorSupplier("CreateRestoreRequest"))
              .build();
        }
      }
    }
    return getCreateRestoreRequestMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListRestoreRequestsRequest,
      com.hyrelog.api.v1.ListRestoreRequestsResponse> getListRestoreRequestsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListRestoreRequests",
      requestType = com.hyrelog.api.v1.ListRestoreRequestsRequest.class,
      responseType = com.hyrelog.api.v1.ListRestoreRequestsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListRestoreRequestsRequest,
      com.hyrelog.api.v1.ListRestoreRequestsResponse> getListRestoreRequestsMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListRestoreRequestsRequest, com.hyrelog.api.v1.ListRestoreRequestsResponse> getListRestoreRequestsMethod;
    if ((getListRestoreRequestsMethod = RestoreServiceGrpc.getListRestoreRequestsMethod) == null) {
      synchronized (RestoreServiceGrpc.class) {
        if ((getListRestoreRequestsMethod = RestoreServiceGrpc.getListRestoreRequestsMethod) == null) {
          RestoreServiceGrpc.getListRestoreRequestsMethod = getListRestoreRequestsMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.ListRestoreRequestsRequest, com.hyrelog.api.v1.ListRestoreRequestsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListRestoreRequests"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListRestoreRequestsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListRestoreRequestsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RestoreServiceMethodDescriptorSupplier("ListRestoreRequests"))
              .build();
        }
      }
    }
    return getListRestoreRequestsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetRestoreRequestRequest,
      com.hyrelog.api.v1.GetRestoreRequestResponse> getGetRestoreRequestMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetRestoreRequest",
      requestType = com.hyrelog.api.v1.GetRestoreRequestRequest.class,
      responseType = com.hyrelog.api.v1.GetRestoreRequestResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetRestoreRequestRequest,
      com.hyrelog.api.v1.GetRestoreRequestResponse> getGetRestoreRequestMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetRestoreRequestRequest, com.hyrelog.api.v1.GetRestoreRequestResponse> getGetRestoreRequestMethod;
    if ((getGetRestoreRequestMethod = RestoreServiceGrpc.getGetRestoreRequestMethod) == null) {
      synchronized (RestoreServiceGrpc.class) {
        if ((getGetRestoreRequestMethod = RestoreServiceGrpc.getGetRestoreRequestMethod) == null) {
          RestoreServiceGrpc.getGetRestoreRequestMethod = getGetRestoreRequestMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.GetRestoreRequestRequest, com.hyrelog.api.v1.GetRestoreRequestResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetRestoreRequest"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetRestoreRequestRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetRestoreRequestResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RestoreServiceMethodDescriptorSupplier("GetRestoreRequest"))
              .build();
        }
      }
    }
    return getGetRestoreRequestMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.CancelRestoreRequestRequest,
      com.hyrelog.api.v1.CancelRestoreRequestResponse> getCancelRestoreRequestMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CancelRestoreRequest",
      requestType = com.hyrelog.api.v1.CancelRestoreRequestRequest.class,
      responseType = com.hyrelog.api.v1.CancelRestoreRequestResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.CancelRestoreRequestRequest,
      com.hyrelog.api.v1.CancelRestoreRequestResponse> getCancelRestoreRequestMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.CancelRestoreRequestRequest, com.hyrelog.api.v1.CancelRestoreRequestResponse> getCancelRestoreRequestMethod;
    if ((getCancelRestoreRequestMethod = RestoreServiceGrpc.getCancelRestoreRequestMethod) == null) {
      synchronized (RestoreServiceGrpc.class) {
        if ((getCancelRestoreRequestMethod = RestoreServiceGrpc.getCancelRestoreRequestMethod) == null) {
          RestoreServiceGrpc.getCancelRestoreRequestMethod = getCancelRestoreRequestMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.CancelRestoreRequestRequest, com.hyrelog.api.v1.CancelRestoreRequestResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CancelRestoreRequest"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CancelRestoreRequestRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CancelRestoreRequestResponse.getDefaultInstance()))
              .setSchemaDescriptor(new RestoreServiceMethodDescriptorSupplier("CancelRestoreRequest"))
              .build();
        }
      }
    }
    return getCancelRestoreRequestMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static RestoreServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RestoreServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RestoreServiceStub>() {
        @java.lang.Override
        public RestoreServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RestoreServiceStub(channel, callOptions);
        }
      };
    return RestoreServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static RestoreServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RestoreServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RestoreServiceBlockingStub>() {
        @java.lang.Override
        public RestoreServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RestoreServiceBlockingStub(channel, callOptions);
        }
      };
    return RestoreServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static RestoreServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<RestoreServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<RestoreServiceFutureStub>() {
        @java.lang.Override
        public RestoreServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new RestoreServiceFutureStub(channel, callOptions);
        }
      };
    return RestoreServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Company keys only (PERMISSION_DENIED for a workspace key). A request waits PENDING until
   * HyreLog staff approve or reject it in the dashboard; once approved the archival service
   * restores the archive, which then reads (GetArchive's URL, ARCHIVED exports) for the request's
   * days. NOT_FOUND for a request or archive of another company.
   * </pre>
   */
  public static abstract class RestoreServiceImplBase implements io.grpc.BindableService {

    /**
     * <pre>
     * Asks for a cold archive to be restored, with the tier's cost estimate. INVALID_ARGUMENT names
     * the field to fix; PERMISSION_DENIED (PlanLimit detail) on FREE and STARTER, or for a tier the
     * plan lacks; FAILED_PRECONDITION for an archive that is not cold; ALREADY_EXISTS while the
     * archive has an open request.
     * </pre>
     */
    public void createRestoreRequest(com.hyrelog.api.v1.CreateRestoreRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateRestoreRequestResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateRestoreRequestMethod(), responseObserver);
    }

    /**
     * <pre>
     * The company's requests, newest first, a page at a time (the cursor contract of every list:
     * pass next_cursor, with the same status, for the next page).
     * </pre>
     */
    public void listRestoreRequests(com.hyrelog.api.v1.ListRestoreRequestsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListRestoreRequestsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListRestoreRequestsMethod(), responseObserver);
    }

    /**
     * <pre>
     * One request, with the archive it is for.
     * </pre>
     */
    public void getRestoreRequest(com.hyrelog.api.v1.GetRestoreRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetRestoreRequestResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetRestoreRequestMethod(), responseObserver);
    }

    /**
     * <pre>
     * Withdraws a PENDING request (FAILED_PRECONDITION once it was decided).
     * </pre>
     */
    public void cancelRestoreRequest(com.hyrelog.api.v1.CancelRestoreRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CancelRestoreRequestResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCancelRestoreRequestMethod(), responseObserver);
    }

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
          .addMethod(
            getCreateRestoreRequestMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.CreateRestoreRequestRequest,
                com.hyrelog.api.v1.CreateRestoreRequestResponse>(
                  this, METHODID_CREATE_RESTORE_REQUEST)))
          .addMethod(
            getListRestoreRequestsMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.ListRestoreRequestsRequest,
                com.hyrelog.api.v1.ListRestoreRequestsResponse>(
                  this, METHODID_LIST_RESTORE_REQUESTS)))
          .addMethod(
            getGetRestoreRequestMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.GetRestoreRequestRequest,
                com.hyrelog.api.v1.GetRestoreRequestResponse>(
                  this, METHODID_GET_RESTORE_REQUEST)))
          .addMethod(
            getCancelRestoreRequestMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.CancelRestoreRequestRequest,
                com.hyrelog.api.v1.CancelRestoreRequestResponse>(
                  this, METHODID_CANCEL_RESTORE_REQUEST)))
          .build();
    }
  }

  /**
   * <pre>
   * Company keys only (PERMISSION_DENIED for a workspace key). A request waits PENDING until
   * HyreLog staff approve or reject it in the dashboard; once approved the archival service
   * restores the archive, which then reads (GetArchive's URL, ARCHIVED exports) for the request's
   * days. NOT_FOUND for a request or archive of another company.
   * </pre>
   */
  public static final class RestoreServiceStub extends io.grpc.stub.AbstractAsyncStub<RestoreServiceStub> {
    private RestoreServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RestoreServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RestoreServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Asks for a cold archive to be restored, with the tier's cost estimate. INVALID_ARGUMENT names
     * the field to fix; PERMISSION_DENIED (PlanLimit detail) on FREE and STARTER, or for a tier the
     * plan lacks; FAILED_PRECONDITION for an archive that is not cold; ALREADY_EXISTS while the
     * archive has an open request.
     * </pre>
     */
    public void createRestoreRequest(com.hyrelog.api.v1.CreateRestoreRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateRestoreRequestResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateRestoreRequestMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * The company's requests, newest first, a page at a time (the cursor contract of every list:
     * pass next_cursor, with the same status, for the next page).
     * </pre>
     */
    public void listRestoreRequests(com.hyrelog.api.v1.ListRestoreRequestsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListRestoreRequestsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListRestoreRequestsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * One request, with the archive it is for.
     * </pre>
     */
    public void getRestoreRequest(com.hyrelog.api.v1.GetRestoreRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetRestoreRequestResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetRestoreRequestMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Withdraws a PENDING request (FAILED_PRECONDITION once it was decided).
     * </pre>
     */
    public void cancelRestoreRequest(com.hyrelog.api.v1.CancelRestoreRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CancelRestoreRequestResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCancelRestoreRequestMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * <pre>
   * Company keys only (PERMISSION_DENIED for a workspace key). A request waits PENDING until
   * HyreLog staff approve or reject it in the dashboard; once approved the archival service
   * restores the archive, which then reads (GetArchive's URL, ARCHIVED exports) for the request's
   * days. NOT_FOUND for a request or archive of another company.
   * </pre>
   */
  public static final class RestoreServiceBlockingStub extends io.grpc.stub.AbstractBlockingStub<RestoreServiceBlockingStub> {
    private RestoreServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RestoreServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RestoreServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Asks for a cold archive to be restored, with the tier's cost estimate. INVALID_ARGUMENT names
     * the field to fix; PERMISSION_DENIED (PlanLimit detail) on FREE and STARTER, or for a tier the
     * plan lacks; FAILED_PRECONDITION for an archive that is not cold; ALREADY_EXISTS while the
     * archive has an open request.
     * </pre>
     */
    public com.hyrelog.api.v1.CreateRestoreRequestResponse createRestoreRequest(com.hyrelog.api.v1.CreateRestoreRequestRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateRestoreRequestMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The company's requests, newest first, a page at a time (the cursor contract of every list:
     * pass next_cursor, with the same status, for the next page).
     * </pre>
     */
    public com.hyrelog.api.v1.ListRestoreRequestsResponse listRestoreRequests(com.hyrelog.api.v1.ListRestoreRequestsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListRestoreRequestsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * One request, with the archive it is for.
     * </pre>
     */
    public com.hyrelog.api.v1.GetRestoreRequestResponse getRestoreRequest(com.hyrelog.api.v1.GetRestoreRequestRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetRestoreRequestMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Withdraws a PENDING request (FAILED_PRECONDITION once it was decided).
     * </pre>
     */
    public com.hyrelog.api.v1.CancelRestoreRequestResponse cancelRestoreRequest(com.hyrelog.api.v1.CancelRestoreRequestRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCancelRestoreRequestMethod(), getCallOptions(), request);
    }
  }

  /**
   * <pre>
   * Company keys only (PERMISSION_DENIED for a workspace key). A request waits PENDING until
   * HyreLog staff approve or reject it in the dashboard; once approved the archival service
   * restores the archive, which then reads (GetArchive's URL, ARCHIVED exports) for the request's
   * days. NOT_FOUND for a request or archive of another company.
   * </pre>
   */
  public static final class RestoreServiceFutureStub extends io.grpc.stub.AbstractFutureStub<RestoreServiceFutureStub> {
    private RestoreServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected RestoreServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new RestoreServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Asks for a cold archive to be restored, with the tier's cost estimate. INVALID_ARGUMENT names
     * the field to fix; PERMISSION_DENIED (PlanLimit detail) on FREE and STARTER, or for a tier the
     * plan lacks; FAILED_PRECONDITION for an archive that is not cold; ALREADY_EXISTS while the
     * archive has an open request.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.CreateRestoreRequestResponse> createRestoreRequest(
        com.hyrelog.api.v1.CreateRestoreRequestRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateRestoreRequestMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * The company's requests, newest first, a page at a time (the cursor contract of every list:
     * pass next_cursor, with the same status, for the next page).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.ListRestoreRequestsResponse> listRestoreRequests(
        com.hyrelog.api.v1.ListRestoreRequestsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListRestoreRequestsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * One request, with the archive it is for.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.GetRestoreRequestResponse> getRestoreRequest(
        com.hyrelog.api.v1.GetRestoreRequestRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetRestoreRequestMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Withdraws a PENDING request (FAILED_PRECONDITION once it was decided).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.CancelRestoreRequestResponse> cancelRestoreRequest(
        com.hyrelog.api.v1.CancelRestoreRequestRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCancelRestoreRequestMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_CREATE_RESTORE_REQUEST = 0;
  private static final int METHODID_LIST_RESTORE_REQUESTS = 1;
  private static final int METHODID_GET_RESTORE_REQUEST = 2;
  private static final int METHODID_CANCEL_RESTORE_REQUEST = 3;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final RestoreServiceImplBase serviceImpl;
    private final int methodId;

    MethodHandlers(RestoreServiceImplBase serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_CREATE_RESTORE_REQUEST:
          serviceImpl.createRestoreRequest((com.hyrelog.api.v1.CreateRestoreRequestRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateRestoreRequestResponse>) responseObserver);
          break;
        case METHODID_LIST_RESTORE_REQUESTS:
          serviceImpl.listRestoreRequests((com.hyrelog.api.v1.ListRestoreRequestsRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListRestoreRequestsResponse>) responseObserver);
          break;
        case METHODID_GET_RESTORE_REQUEST:
          serviceImpl.getRestoreRequest((com.hyrelog.api.v1.GetRestoreRequestRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetRestoreRequestResponse>) responseObserver);
          break;
        case METHODID_CANCEL_RESTORE_REQUEST:
          serviceImpl.cancelRestoreRequest((com.hyrelog.api.v1.CancelRestoreRequestRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CancelRestoreRequestResponse>) responseObserver);
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

  private static abstract class RestoreServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    RestoreServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return com.hyrelog.api.v1.RestoresProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("RestoreService");
    }
  }

  private static final class RestoreServiceFileDescriptorSupplier
      extends RestoreServiceBaseDescriptorSupplier {
    RestoreServiceFileDescriptorSupplier() {}
  }

  private static final class RestoreServiceMethodDescriptorSupplier
      extends RestoreServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final String methodName;

    RestoreServiceMethodDescriptorSupplier(String methodName) {
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
      synchronized (RestoreServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new RestoreServiceFileDescriptorSupplier())
              .addMethod(getCreateRestoreRequestMethod())
              .addMethod(getListRestoreRequestsMethod())
              .addMethod(getGetRestoreRequestMethod())
              .addMethod(getCancelRestoreRequestMethod())
              .build();
        }
      }
    }
    return result;
  }
}
