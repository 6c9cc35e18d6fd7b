package com.hyrelog.api.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Exports: a company's events, filtered as ListEvents filters them, written by a job to a JSONL
 * or CSV file in the region's S3 bucket, downloaded with a presigned URL. Company keys.
 * </pre>
 */
@javax.annotation.Generated(
    value = "by gRPC proto compiler",
    comments = "Source: hyrelog/api/v1/exports.proto")
@io.grpc.stub.annotations.GrpcGenerated
public final class ExportServiceGrpc {

  private ExportServiceGrpc() {}

  public static final String SERVICE_NAME = "hyrelog.api.v1.ExportService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateExportRequest,
      com.hyrelog.api.v1.CreateExportResponse> getCreateExportMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateExport",
      requestType = com.hyrelog.api.v1.CreateExportRequest.class,
      responseType = com.hyrelog.api.v1.CreateExportResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateExportRequest,
      com.hyrelog.api.v1.CreateExportResponse> getCreateExportMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateExportRequest, com.hyrelog.api.v1.CreateExportResponse> getCreateExportMethod;
    if ((getCreateExportMethod = ExportServiceGrpc.getCreateExportMethod) == null) {
      synchronized (ExportServiceGrpc.class) {
        if ((getCreateExportMethod = ExportServiceGrpc.getCreateExportMethod) == null) {
          ExportServiceGrpc.getCreateExportMethod = getCreateExportMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.CreateExportRequest, com.hyrelog.api.v1.CreateExportResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateExport"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CreateExportRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CreateExportResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExportServiceMethodDescriptorSupplier("CreateExport"))
              .build();
        }
      }
    }
    return getCreateExportMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetExportRequest,
      com.hyrelog.api.v1.GetExportResponse> getGetExportMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetExport",
      requestType = com.hyrelog.api.v1.GetExportRequest.class,
      responseType = com.hyrelog.api.v1.GetExportResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetExportRequest,
      com.hyrelog.api.v1.GetExportResponse> getGetExportMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetExportRequest, com.hyrelog.api.v1.GetExportResponse> getGetExportMethod;
    if ((getGetExportMethod = ExportServiceGrpc.getGetExportMethod) == null) {
      synchronized (ExportServiceGrpc.class) {
        if ((getGetExportMethod = ExportServiceGrpc.getGetExportMethod) == null) {
          ExportServiceGrpc.getGetExportMethod = getGetExportMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.GetExportRequest, com.hyrelog.api.v1.GetExportResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetExport"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetExportRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetExportResponse.getDefaultInstance()))
              .setSchemaDescriptor(new ExportServiceMethodDescriptorSupplier("GetExport"))
              .build();
        }
      }
    }
    return getGetExportMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static ExportServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ExportServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ExportServiceStub>() {
        @java.lang.Override
        public ExportServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ExportServiceStub(channel, callOptions);
        }
      };
    return ExportServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static ExportServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ExportServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ExportServiceBlockingStub>() {
        @java.lang.Override
        public ExportServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ExportServiceBlockingStub(channel, callOptions);
        }
      };
    return ExportServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static ExportServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<ExportServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<ExportServiceFutureStub>() {
        @java.lang.Override
        public ExportServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new ExportServiceFutureStub(channel, callOptions);
        }
      };
    return ExportServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Exports: a company's events, filtered as ListEvents filters them, written by a job to a JSONL
   * or CSV file in the region's S3 bucket, downloaded with a presigned URL. Company keys.
   * </pre>
   */
  public static abstract class ExportServiceImplBase implements io.grpc.BindableService {

    /**
     * <pre>
     * Checks the plan (exports allowed, rows within the limit) before any work, then queues the job.
     * FAILED_PRECONDITION with archive ids when archived events are in cold storage (restore them:
     * RestoreService).
     * </pre>
     */
    public void createExport(com.hyrelog.api.v1.CreateExportRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateExportResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateExportMethod(), responseObserver);
    }

    /**
     * <pre>
     * The export job and, once COMPLETED, its file and a presigned download URL.
     * </pre>
     */
    public void getExport(com.hyrelog.api.v1.GetExportRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetExportResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetExportMethod(), responseObserver);
    }

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
          .addMethod(
            getCreateExportMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.CreateExportRequest,
                com.hyrelog.api.v1.CreateExportResponse>(
                  this, METHODID_CREATE_EXPORT)))
          .addMethod(
            getGetExportMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.GetExportRequest,
                com.hyrelog.api.v1.GetExportResponse>(
                  this, METHODID_GET_EXPORT)))
          .build();
    }
  }

  /**
   * <pre>
   * Exports: a company's events, filtered as ListEvents filters them, written by a job to a JSONL
   * or CSV file in the region's S3 bucket, downloaded with a presigned URL. Company keys.
   * </pre>
   */
  public static final class ExportServiceStub extends io.grpc.stub.AbstractAsyncStub<ExportServiceStub> {
    private ExportServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ExportServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ExportServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Checks the plan (exports allowed, rows within the limit) before any work, then queues the job.
     * FAILED_PRECONDITION with archive ids when archived events are in cold storage (restore them:
     * RestoreService).
     * </pre>
     */
    public void createExport(com.hyrelog.api.v1.CreateExportRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateExportResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateExportMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * The export job and, once COMPLETED, its file and a presigned download URL.
     * </pre>
     */
    public void getExport(com.hyrelog.api.v1.GetExportRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetExportResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetExportMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * <pre>
   * Exports: a company's events, filtered as ListEvents filters them, written by a job to a JSONL
   * or CSV file in the region's S3 bucket, downloaded with a presigned URL. Company keys.
   * </pre>
   */
  public static final class ExportServiceBlockingStub extends io.grpc.stub.AbstractBlockingStub<ExportServiceBlockingStub> {
    private ExportServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ExportServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ExportServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Checks the plan (exports allowed, rows within the limit) before any work, then queues the job.
     * FAILED_PRECONDITION with archive ids when archived events are in cold storage (restore them:
     * RestoreService).
     * </pre>
     */
    public com.hyrelog.api.v1.CreateExportResponse createExport(com.hyrelog.api.v1.CreateExportRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateExportMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The export job and, once COMPLETED, its file and a presigned download URL.
     * </pre>
     */
    public com.hyrelog.api.v1.GetExportResponse getExport(com.hyrelog.api.v1.GetExportRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetExportMethod(), getCallOptions(), request);
    }
  }

  /**
   * <pre>
   * Exports: a company's events, filtered as ListEvents filters them, written by a job to a JSONL
   * or CSV file in the region's S3 bucket, downloaded with a presigned URL. Company keys.
   * </pre>
   */
  public static final class ExportServiceFutureStub extends io.grpc.stub.AbstractFutureStub<ExportServiceFutureStub> {
    private ExportServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected ExportServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new ExportServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Checks the plan (exports allowed, rows within the limit) before any work, then queues the job.
     * FAILED_PRECONDITION with archive ids when archived events are in cold storage (restore them:
     * RestoreService).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.CreateExportResponse> createExport(
        com.hyrelog.api.v1.CreateExportRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateExportMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * The export job and, once COMPLETED, its file and a presigned download URL.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.GetExportResponse> getExport(
        com.hyrelog.api.v1.GetExportRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetExportMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_CREATE_EXPORT = 0;
  private static final int METHODID_GET_EXPORT = 1;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final ExportServiceImplBase serviceImpl;
    private final int methodId;

    MethodHandlers(ExportServiceImplBase serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_CREATE_EXPORT:
          serviceImpl.createExport((com.hyrelog.api.v1.CreateExportRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateExportResponse>) responseObserver);
          break;
        case METHODID_GET_EXPORT:
          serviceImpl.getExport((com.hyrelog.api.v1.GetExportRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetExportResponse>) responseObserver);
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

  private static abstract class ExportServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    ExportServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return com.hyrelog.api.v1.ExportsProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("ExportService");
    }
  }

  private static final class ExportServiceFileDescriptorSupplier
      extends ExportServiceBaseDescriptorSupplier {
    ExportServiceFileDescriptorSupplier() {}
  }

  private static final class ExportServiceMethodDescriptorSupplier
      extends ExportServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final String methodName;

    ExportServiceMethodDescriptorSupplier(String methodName) {
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
      synchronized (ExportServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new ExportServiceFileDescriptorSupplier())
              .addMethod(getCreateExportMethod())
              .addMethod(getGetExportMethod())
              .build();
        }
      }
    }
    return result;
  }
}
