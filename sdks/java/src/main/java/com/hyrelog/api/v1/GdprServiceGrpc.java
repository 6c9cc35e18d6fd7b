package com.hyrelog.api.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Company keys only. Subject access runs at once; an erasure waits for its approvals (a second
 * key or person of the customer, and HyreLog staff where the plan requires it).
 * </pre>
 */
@javax.annotation.Generated(
    value = "by gRPC proto compiler",
    comments = "Source: hyrelog/api/v1/gdpr.proto")
@io.grpc.stub.annotations.GrpcGenerated
public final class GdprServiceGrpc {

  private GdprServiceGrpc() {}

  public static final String SERVICE_NAME = "hyrelog.api.v1.GdprService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateRequestRequest,
      com.hyrelog.api.v1.CreateRequestResponse> getCreateRequestMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateRequest",
      requestType = com.hyrelog.api.v1.CreateRequestRequest.class,
      responseType = com.hyrelog.api.v1.CreateRequestResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateRequestRequest,
      com.hyrelog.api.v1.CreateRequestResponse> getCreateRequestMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateRequestRequest, com.hyrelog.api.v1.CreateRequestResponse> getCreateRequestMethod;
    if ((getCreateRequestMethod = GdprServiceGrpc.getCreateRequestMethod) == null) {
      synchronized (GdprServiceGrpc.class) {
        if ((getCreateRequestMethod = GdprServiceGrpc.getCreateRequestMethod) == null) {
          GdprServiceGrpc.getCreateRequestMethod = getCreateRequestMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.CreateRequestRequest, com.hyrelog.api.v1.CreateRequestResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateRequest"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CreateRequestRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CreateRequestResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GdprServiceMethodDescriptorSupplier("CreateRequest"))
              .build();
        }
      }
    }
    return getCreateRequestMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListRequestsRequest,
      com.hyrelog.api.v1.ListRequestsResponse> getListRequestsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListRequests",
      requestType = com.hyrelog.api.v1.ListRequestsRequest.class,
      responseType = com.hyrelog.api.v1.ListRequestsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListRequestsRequest,
      com.hyrelog.api.v1.ListRequestsResponse> getListRequestsMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListRequestsRequest, com.hyrelog.api.v1.ListRequestsResponse> getListRequestsMethod;
    if ((getListRequestsMethod = GdprServiceGrpc.getListRequestsMethod) == null) {
      synchronized (GdprServiceGrpc.class) {
        if ((getListRequestsMethod = GdprServiceGrpc.getListRequestsMethod) == null) {
          GdprServiceGrpc.getListRequestsMethod = getListRequestsMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.ListRequestsRequest, com.hyrelog.api.v1.ListRequestsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListRequests"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListRequestsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListRequestsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GdprServiceMethodDescriptorSupplier("ListRequests"))
              .build();
        }
      }
    }
    return getListRequestsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetRequestRequest,
      com.hyrelog.api.v1.GetRequestResponse> getGetRequestMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetRequest",
      requestType = com.hyrelog.api.v1.GetRequestRequest.class,
      responseType = com.hyrelog.api.v1.GetRequestResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetRequestRequest,
      com.hyrelog.api.v1.GetRequestResponse> getGetRequestMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetRequestRequest, com.hyrelog.api.v1.GetRequestResponse> getGetRequestMethod;
    if ((getGetRequestMethod = GdprServiceGrpc.getGetRequestMethod) == null) {
      synchronized (GdprServiceGrpc.class) {
        if ((getGetRequestMethod = GdprServiceGrpc.getGetRequestMethod) == null) {
          GdprServiceGrpc.getGetRequestMethod = getGetRequestMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.GetRequestRequest, com.hyrelog.api.v1.GetRequestResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetRequest"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetRequestRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetRequestResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GdprServiceMethodDescriptorSupplier("GetRequest"))
              .build();
        }
      }
    }
    return getGetRequestMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.DecideRequestRequest,
      com.hyrelog.api.v1.DecideRequestResponse> getDecideRequestMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DecideRequest",
      requestType = com.hyrelog.api.v1.DecideRequestRequest.class,
      responseType = com.hyrelog.api.v1.DecideRequestResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.DecideRequestRequest,
      com.hyrelog.api.v1.DecideRequestResponse> getDecideRequestMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.DecideRequestRequest, com.hyrelog.api.v1.DecideRequestResponse> getDecideRequestMethod;
    if ((getDecideRequestMethod = GdprServiceGrpc.getDecideRequestMethod) == null) {
      synchronized (GdprServiceGrpc.class) {
        if ((getDecideRequestMethod = GdprServiceGrpc.getDecideRequestMethod) == null) {
          GdprServiceGrpc.getDecideRequestMethod = getDecideRequestMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.DecideRequestRequest, com.hyrelog.api.v1.DecideRequestResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DecideRequest"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.DecideRequestRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.DecideRequestResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GdprServiceMethodDescriptorSupplier("DecideRequest"))
              .build();
        }
      }
    }
    return getDecideRequestMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.CancelRequestRequest,
      com.hyrelog.api.v1.CancelRequestResponse> getCancelRequestMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CancelRequest",
      requestType = com.hyrelog.api.v1.CancelRequestRequest.class,
      responseType = com.hyrelog.api.v1.CancelRequestResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.CancelRequestRequest,
      com.hyrelog.api.v1.CancelRequestResponse> getCancelRequestMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.CancelRequestRequest, com.hyrelog.api.v1.CancelRequestResponse> getCancelRequestMethod;
    if ((getCancelRequestMethod = GdprServiceGrpc.getCancelRequestMethod) == null) {
      synchronized (GdprServiceGrpc.class) {
        if ((getCancelRequestMethod = GdprServiceGrpc.getCancelRequestMethod) == null) {
          GdprServiceGrpc.getCancelRequestMethod = getCancelRequestMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.CancelRequestRequest, com.hyrelog.api.v1.CancelRequestResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CancelRequest"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CancelRequestRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CancelRequestResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GdprServiceMethodDescriptorSupplier("CancelRequest"))
              .build();
        }
      }
    }
    return getCancelRequestMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateCompanyExportRequest,
      com.hyrelog.api.v1.CreateCompanyExportResponse> getCreateCompanyExportMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateCompanyExport",
      requestType = com.hyrelog.api.v1.CreateCompanyExportRequest.class,
      responseType = com.hyrelog.api.v1.CreateCompanyExportResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateCompanyExportRequest,
      com.hyrelog.api.v1.CreateCompanyExportResponse> getCreateCompanyExportMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateCompanyExportRequest, com.hyrelog.api.v1.CreateCompanyExportResponse> getCreateCompanyExportMethod;
    if ((getCreateCompanyExportMethod = GdprServiceGrpc.getCreateCompanyExportMethod) == null) {
      synchronized (GdprServiceGrpc.class) {
        if ((getCreateCompanyExportMethod = GdprServiceGrpc.getCreateCompanyExportMethod) == null) {
          GdprServiceGrpc.getCreateCompanyExportMethod = getCreateCompanyExportMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.CreateCompanyExportRequest, com.hyrelog.api.v1.CreateCompanyExportResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateCompanyExport"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CreateCompanyExportRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CreateCompanyExportResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GdprServiceMethodDescriptorSupplier("CreateCompanyExport"))
              .build();
        }
      }
    }
    return getCreateCompanyExportMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetCompanyExportRequest,
      com.hyrelog.api.v1.GetCompanyExportResponse> getGetCompanyExportMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetCompanyExport",
      requestType = com.hyrelog.api.v1.GetCompanyExportRequest.class,
      responseType = com.hyrelog.api.v1.GetCompanyExportResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetCompanyExportRequest,
      com.hyrelog.api.v1.GetCompanyExportResponse> getGetCompanyExportMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetCompanyExportRequest, com.hyrelog.api.v1.GetCompanyExportResponse> getGetCompanyExportMethod;
    if ((getGetCompanyExportMethod = GdprServiceGrpc.getGetCompanyExportMethod) == null) {
      synchronized (GdprServiceGrpc.class) {
        if ((getGetCompanyExportMethod = GdprServiceGrpc.getGetCompanyExportMethod) == null) {
          GdprServiceGrpc.getGetCompanyExportMethod = getGetCompanyExportMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.GetCompanyExportRequest, com.hyrelog.api.v1.GetCompanyExportResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetCompanyExport"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetCompanyExportRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetCompanyExportResponse.getDefaultInstance()))
              .setSchemaDescriptor(new GdprServiceMethodDescriptorSupplier("GetCompanyExport"))
              .build();
        }
      }
    }
    return getGetCompanyExportMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static GdprServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<GdprServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<GdprServiceStub>() {
        @java.lang.Override
        public GdprServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new GdprServiceStub(channel, callOptions);
        }
      };
    return GdprServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static GdprServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<GdprServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<GdprServiceBlockingStub>() {
        @java.lang.Override
        public GdprServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new GdprServiceBlockingStub(channel, callOptions);
        }
      };
    return GdprServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static GdprServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<GdprServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<GdprServiceFutureStub>() {
        @java.lang.Override
        public GdprServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new GdprServiceFutureStub(channel, callOptions);
        }
      };
    return GdprServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Company keys only. Subject access runs at once; an erasure waits for its approvals (a second
   * key or person of the customer, and HyreLog staff where the plan requires it).
   * </pre>
   */
  public static abstract class GdprServiceImplBase implements io.grpc.BindableService {

    /**
     * <pre>
     * Names the subject by id or by email (the email is never stored; it is matched by its blind
     * index). INVALID_ARGUMENT names the field to fix; PERMISSION_DENIED when the plan lacks GDPR
     * workflows.
     * </pre>
     */
    public void createRequest(com.hyrelog.api.v1.CreateRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateRequestResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateRequestMethod(), responseObserver);
    }

    /**
     * <pre>
     * The company's requests, newest first, a page at a time.
     * </pre>
     */
    public void listRequests(com.hyrelog.api.v1.ListRequestsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListRequestsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListRequestsMethod(), responseObserver);
    }

    /**
     * <pre>
     * The request, its approvals, its job and, for a completed subject access, a download URL.
     * </pre>
     */
    public void getRequest(com.hyrelog.api.v1.GetRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetRequestResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetRequestMethod(), responseObserver);
    }

    /**
     * <pre>
     * Approve or reject a pending erasure; never by the key that asked for it (PERMISSION_DENIED).
     * </pre>
     */
    public void decideRequest(com.hyrelog.api.v1.DecideRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.DecideRequestResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDecideRequestMethod(), responseObserver);
    }

    /**
     * <pre>
     * Withdraws a request that has not run yet (FAILED_PRECONDITION once it has).
     * </pre>
     */
    public void cancelRequest(com.hyrelog.api.v1.CancelRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CancelRequestResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCancelRequestMethod(), responseObserver);
    }

    /**
     * <pre>
     * Everything HyreLog holds about the company, as a downloadable file (a job).
     * </pre>
     */
    public void createCompanyExport(com.hyrelog.api.v1.CreateCompanyExportRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateCompanyExportResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateCompanyExportMethod(), responseObserver);
    }

    /**
     */
    public void getCompanyExport(com.hyrelog.api.v1.GetCompanyExportRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetCompanyExportResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetCompanyExportMethod(), responseObserver);
    }

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
          .addMethod(
            getCreateRequestMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.CreateRequestRequest,
                com.hyrelog.api.v1.CreateRequestResponse>(
                  this, METHODID_CREATE_REQUEST)))
          .addMethod(
            getListRequestsMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.ListRequestsRequest,
                com.hyrelog.api.v1.ListRequestsResponse>(
                  this, METHODID_LIST_REQUESTS)))
          .addMethod(
            getGetRequestMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.GetRequestRequest,
                com.hyrelog.api.v1.GetRequestResponse>(
                  this, METHODID_GET_REQUEST)))
          .addMethod(
            getDecideRequestMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.DecideRequestRequest,
                com.hyrelog.api.v1.DecideRequestResponse>(
                  this, METHODID_DECIDE_REQUEST)))
          .addMethod(
            getCancelRequestMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.CancelRequestRequest,
                com.hyrelog.api.v1.CancelRequestResponse>(
                  this, METHODID_CANCEL_REQUEST)))
          .addMethod(
            getCreateCompanyExportMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.CreateCompanyExportRequest,
                com.hyrelog.api.v1.CreateCompanyExportResponse>(
                  this, METHODID_CREATE_COMPANY_EXPORT)))
          .addMethod(
            getGetCompanyExportMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.GetCompanyExportRequest,
                com.hyrelog.api.v1.GetCompanyExportResponse>(
                  this, METHODID_GET_COMPANY_EXPORT)))
          .build();
    }
  }

  /**
   * <pre>
   * Company keys only. Subject access runs at once; an erasure waits for its approvals (a second
   * key or person of the customer, and HyreLog staff where the plan requires it).
   * </pre>
   */
  public static final class GdprServiceStub extends io.grpc.stub.AbstractAsyncStub<GdprServiceStub> {
    private GdprServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected GdprServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new GdprServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Names the subject by id or by email (the email is never stored; it is matched by its blind
     * index). INVALID_ARGUMENT names the field to fix; PERMISSION_DENIED when the plan lacks GDPR
     * workflows.
     * </pre>
     */
    public void createRequest(com.hyrelog.api.v1.CreateRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateRequestResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateRequestMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * The company's requests, newest first, a page at a time.
     * </pre>
     */
    public void listRequests(com.hyrelog.api.v1.ListRequestsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListRequestsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListRequestsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * The request, its approvals, its job and, for a completed subject access, a download URL.
     * </pre>
     */
    public void getRequest(com.hyrelog.api.v1.GetRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetRequestResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetRequestMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Approve or reject a pending erasure; never by the key that asked for it (PERMISSION_DENIED).
     * </pre>
     */
    public void decideRequest(com.hyrelog.api.v1.DecideRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.DecideRequestResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDecideRequestMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Withdraws a request that has not run yet (FAILED_PRECONDITION once it has).
     * </pre>
     */
    public void cancelRequest(com.hyrelog.api.v1.CancelRequestRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CancelRequestResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCancelRequestMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Everything HyreLog holds about the company, as a downloadable file (a job).
     * </pre>
     */
    public void createCompanyExport(com.hyrelog.api.v1.CreateCompanyExportRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateCompanyExportResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateCompanyExportMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     */
    public void getCompanyExport(com.hyrelog.api.v1.GetCompanyExportRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetCompanyExportResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetCompanyExportMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * <pre>
   * Company keys only. Subject access runs at once; an erasure waits for its approvals (a second
   * key or person of the customer, and HyreLog staff where the plan requires it).
   * </pre>
   */
  public static final class GdprServiceBlockingStub extends io.grpc.stub.AbstractBlockingStub<GdprServiceBlockingStub> {
    private GdprServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected GdprServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new GdprServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Names the subject by id or by email (the email is never stored; it is matched by its blind
     * index). INVALID_ARGUMENT names the field to fix; PERMISSION_DENIED when the plan lacks GDPR
     * workflows.
     * </pre>
     */
    public com.hyrelog.api.v1.CreateRequestResponse createRequest(com.hyrelog.api.v1.CreateRequestRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateRequestMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The company's requests, newest first, a page at a time.
     * </pre>
     */
    public com.hyrelog.api.v1.ListRequestsResponse listRequests(com.hyrelog.api.v1.ListRequestsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListRequestsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The request, its approvals, its job and, for a completed subject access, a download URL.
     * </pre>
     */
    public com.hyrelog.api.v1.GetRequestResponse getRequest(com.hyrelog.api.v1.GetRequestRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetRequestMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Approve or reject a pending erasure; never by the key that asked for it (PERMISSION_DENIED).
     * </pre>
     */
    public com.hyrelog.api.v1.DecideRequestResponse decideRequest(com.hyrelog.api.v1.DecideRequestRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDecideRequestMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Withdraws a request that has not run yet (FAILED_PRECONDITION once it has).
     * </pre>
     */
    public com.hyrelog.api.v1.CancelRequestResponse cancelRequest(com.hyrelog.api.v1.CancelRequestRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCancelRequestMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Everything HyreLog holds about the company, as a downloadable file (a job).
     * </pre>
     */
    public com.hyrelog.api.v1.CreateCompanyExportResponse createCompanyExport(com.hyrelog.api.v1.CreateCompanyExportRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateCompanyExportMethod(), getCallOptions(), request);
    }

    /**
     */
    public com.hyrelog.api.v1.GetCompanyExportResponse getCompanyExport(com.hyrelog.api.v1.GetCompanyExportRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetCompanyExportMethod(), getCallOptions(), request);
    }
  }

  /**
   * <pre>
   * Company keys only. Subject access runs at once; an erasure waits for its approvals (a second
   * key or person of the customer, and HyreLog staff where the plan requires it).
   * </pre>
   */
  public static final class GdprServiceFutureStub extends io.grpc.stub.AbstractFutureStub<GdprServiceFutureStub> {
    private GdprServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected GdprServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new GdprServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Names the subject by id or by email (the email is never stored; it is matched by its blind
     * index). INVALID_ARGUMENT names the field to fix; PERMISSION_DENIED when the plan lacks GDPR
     * workflows.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.CreateRequestResponse> createRequest(
        com.hyrelog.api.v1.CreateRequestRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateRequestMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * The company's requests, newest first, a page at a time.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.ListRequestsResponse> listRequests(
        com.hyrelog.api.v1.ListRequestsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListRequestsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * The request, its approvals, its job and, for a completed subject access, a download URL.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.GetRequestResponse> getRequest(
        com.hyrelog.api.v1.GetRequestRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetRequestMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Approve or reject a pending erasure; never by the key that asked for it (PERMISSION_DENIED).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.DecideRequestResponse> decideRequest(
        com.hyrelog.api.v1.DecideRequestRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDecideRequestMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Withdraws a request that has not run yet (FAILED_PRECONDITION once it has).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.CancelRequestResponse> cancelRequest(
        com.hyrelog.api.v1.CancelRequestRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCancelRequestMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Everything HyreLog holds about the company, as a downloadable file (a job).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.CreateCompanyExportResponse> createCompanyExport(
        com.hyrelog.api.v1.CreateCompanyExportRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateCompanyExportMethod(), getCallOptions()), request);
    }

    /**
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.GetCompanyExportResponse> getCompanyExport(
        com.hyrelog.api.v1.GetCompanyExportRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetCompanyExportMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_CREATE_REQUEST = 0;
  private static final int METHODID_LIST_REQUESTS = 1;
  private static final int METHODID_GET_REQUEST = 2;
  private static final int METHODID_DECIDE_REQUEST = 3;
  private static final int METHODID_CANCEL_REQUEST = 4;
  private static final int METHODID_CREATE_COMPANY_EXPORT = 5;
  private static final int METHODID_GET_COMPANY_EXPORT = 6;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final GdprServiceImplBase serviceImpl;
    private final int methodId;

    MethodHandlers(GdprServiceImplBase serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_CREATE_REQUEST:
          serviceImpl.createRequest((com.hyrelog.api.v1.CreateRequestRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateRequestResponse>) responseObserver);
          break;
        case METHODID_LIST_REQUESTS:
          serviceImpl.listRequests((com.hyrelog.api.v1.ListRequestsRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListRequestsResponse>) responseObserver);
          break;
        case METHODID_GET_REQUEST:
          serviceImpl.getRequest((com.hyrelog.api.v1.GetRequestRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetRequestResponse>) responseObserver);
          break;
        case METHODID_DECIDE_REQUEST:
          serviceImpl.decideRequest((com.hyrelog.api.v1.DecideRequestRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.DecideRequestResponse>) responseObserver);
          break;
        case METHODID_CANCEL_REQUEST:
          serviceImpl.cancelRequest((com.hyrelog.api.v1.CancelRequestRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CancelRequestResponse>) responseObserver);
          break;
        case METHODID_CREATE_COMPANY_EXPORT:
          serviceImpl.createCompanyExport((com.hyrelog.api.v1.CreateCompanyExportRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateCompanyExportResponse>) responseObserver);
          break;
        case METHODID_GET_COMPANY_EXPORT:
          serviceImpl.getCompanyExport((com.hyrelog.api.v1.GetCompanyExportRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetCompanyExportResponse>) responseObserver);
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

  private static abstract class GdprServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    GdprServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return com.hyrelog.api.v1.GdprProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("GdprService");
    }
  }

  private static final class GdprServiceFileDescriptorSupplier
      extends GdprServiceBaseDescriptorSupplier {
    GdprServiceFileDescriptorSupplier() {}
  }

  private static final class GdprServiceMethodDescriptorSupplier
      extends GdprServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final String methodName;

    GdprServiceMethodDescriptorSupplier(String methodName) {
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
      synchronized (GdprServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new GdprServiceFileDescriptorSupplier())
              .addMethod(getCreateRequestMethod())
              .addMethod(getListRequestsMethod())
              .addMethod(getGetRequestMethod())
              .addMethod(getDecideRequestMethod())
              .addMethod(getCancelRequestMethod())
              .addMethod(getCreateCompanyExportMethod())
              .addMethod(getGetCompanyExportMethod())
              .build();
        }
      }
    }
    return result;
  }
}
