package com.hyrelog.api.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 */
@javax.annotation.Generated(
    value = "by gRPC proto compiler",
    comments = "Source: hyrelog/api/v1/verification.proto")
@io.grpc.stub.annotations.GrpcGenerated
public final class VerificationServiceGrpc {

  private VerificationServiceGrpc() {}

  public static final String SERVICE_NAME = "hyrelog.api.v1.VerificationService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetLatestCheckpointRequest,
      com.hyrelog.api.v1.GetLatestCheckpointResponse> getGetLatestCheckpointMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetLatestCheckpoint",
      requestType = com.hyrelog.api.v1.GetLatestCheckpointRequest.class,
      responseType = com.hyrelog.api.v1.GetLatestCheckpointResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetLatestCheckpointRequest,
      com.hyrelog.api.v1.GetLatestCheckpointResponse> getGetLatestCheckpointMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetLatestCheckpointRequest, com.hyrelog.api.v1.GetLatestCheckpointResponse> getGetLatestCheckpointMethod;
    if ((getGetLatestCheckpointMethod = VerificationServiceGrpc.getGetLatestCheckpointMethod) == null) {
      synchronized (VerificationServiceGrpc.class) {
        if ((getGetLatestCheckpointMethod = VerificationServiceGrpc.getGetLatestCheckpointMethod) == null) {
          VerificationServiceGrpc.getGetLatestCheckpointMethod = getGetLatestCheckpointMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.GetLatestCheckpointRequest, com.hyrelog.api.v1.GetLatestCheckpointResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetLatestCheckpoint"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetLatestCheckpointRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetLatestCheckpointResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VerificationServiceMethodDescriptorSupplier("GetLatestCheckpoint"))
              .build();
        }
      }
    }
    return getGetLatestCheckpointMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListCheckpointsRequest,
      com.hyrelog.api.v1.ListCheckpointsResponse> getListCheckpointsMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListCheckpoints",
      requestType = com.hyrelog.api.v1.ListCheckpointsRequest.class,
      responseType = com.hyrelog.api.v1.ListCheckpointsResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListCheckpointsRequest,
      com.hyrelog.api.v1.ListCheckpointsResponse> getListCheckpointsMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListCheckpointsRequest, com.hyrelog.api.v1.ListCheckpointsResponse> getListCheckpointsMethod;
    if ((getListCheckpointsMethod = VerificationServiceGrpc.getListCheckpointsMethod) == null) {
      synchronized (VerificationServiceGrpc.class) {
        if ((getListCheckpointsMethod = VerificationServiceGrpc.getListCheckpointsMethod) == null) {
          VerificationServiceGrpc.getListCheckpointsMethod = getListCheckpointsMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.ListCheckpointsRequest, com.hyrelog.api.v1.ListCheckpointsResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListCheckpoints"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListCheckpointsRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListCheckpointsResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VerificationServiceMethodDescriptorSupplier("ListCheckpoints"))
              .build();
        }
      }
    }
    return getListCheckpointsMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListSigningKeysRequest,
      com.hyrelog.api.v1.ListSigningKeysResponse> getListSigningKeysMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListSigningKeys",
      requestType = com.hyrelog.api.v1.ListSigningKeysRequest.class,
      responseType = com.hyrelog.api.v1.ListSigningKeysResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListSigningKeysRequest,
      com.hyrelog.api.v1.ListSigningKeysResponse> getListSigningKeysMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListSigningKeysRequest, com.hyrelog.api.v1.ListSigningKeysResponse> getListSigningKeysMethod;
    if ((getListSigningKeysMethod = VerificationServiceGrpc.getListSigningKeysMethod) == null) {
      synchronized (VerificationServiceGrpc.class) {
        if ((getListSigningKeysMethod = VerificationServiceGrpc.getListSigningKeysMethod) == null) {
          VerificationServiceGrpc.getListSigningKeysMethod = getListSigningKeysMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.ListSigningKeysRequest, com.hyrelog.api.v1.ListSigningKeysResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListSigningKeys"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListSigningKeysRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListSigningKeysResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VerificationServiceMethodDescriptorSupplier("ListSigningKeys"))
              .build();
        }
      }
    }
    return getListSigningKeysMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetInclusionProofRequest,
      com.hyrelog.api.v1.GetInclusionProofResponse> getGetInclusionProofMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetInclusionProof",
      requestType = com.hyrelog.api.v1.GetInclusionProofRequest.class,
      responseType = com.hyrelog.api.v1.GetInclusionProofResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetInclusionProofRequest,
      com.hyrelog.api.v1.GetInclusionProofResponse> getGetInclusionProofMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetInclusionProofRequest, com.hyrelog.api.v1.GetInclusionProofResponse> getGetInclusionProofMethod;
    if ((getGetInclusionProofMethod = VerificationServiceGrpc.getGetInclusionProofMethod) == null) {
      synchronized (VerificationServiceGrpc.class) {
        if ((getGetInclusionProofMethod = VerificationServiceGrpc.getGetInclusionProofMethod) == null) {
          VerificationServiceGrpc.getGetInclusionProofMethod = getGetInclusionProofMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.GetInclusionProofRequest, com.hyrelog.api.v1.GetInclusionProofResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetInclusionProof"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetInclusionProofRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetInclusionProofResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VerificationServiceMethodDescriptorSupplier("GetInclusionProof"))
              .build();
        }
      }
    }
    return getGetInclusionProofMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetConsistencyProofRequest,
      com.hyrelog.api.v1.GetConsistencyProofResponse> getGetConsistencyProofMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetConsistencyProof",
      requestType = com.hyrelog.api.v1.GetConsistencyProofRequest.class,
      responseType = com.hyrelog.api.v1.GetConsistencyProofResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetConsistencyProofRequest,
      com.hyrelog.api.v1.GetConsistencyProofResponse> getGetConsistencyProofMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetConsistencyProofRequest, com.hyrelog.api.v1.GetConsistencyProofResponse> getGetConsistencyProofMethod;
    if ((getGetConsistencyProofMethod = VerificationServiceGrpc.getGetConsistencyProofMethod) == null) {
      synchronized (VerificationServiceGrpc.class) {
        if ((getGetConsistencyProofMethod = VerificationServiceGrpc.getGetConsistencyProofMethod) == null) {
          VerificationServiceGrpc.getGetConsistencyProofMethod = getGetConsistencyProofMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.GetConsistencyProofRequest, com.hyrelog.api.v1.GetConsistencyProofResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetConsistencyProof"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetConsistencyProofRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetConsistencyProofResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VerificationServiceMethodDescriptorSupplier("GetConsistencyProof"))
              .build();
        }
      }
    }
    return getGetConsistencyProofMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.VerifyRangeRequest,
      com.hyrelog.api.v1.VerifyRangeResponse> getVerifyRangeMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "VerifyRange",
      requestType = com.hyrelog.api.v1.VerifyRangeRequest.class,
      responseType = com.hyrelog.api.v1.VerifyRangeResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.VerifyRangeRequest,
      com.hyrelog.api.v1.VerifyRangeResponse> getVerifyRangeMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.VerifyRangeRequest, com.hyrelog.api.v1.VerifyRangeResponse> getVerifyRangeMethod;
    if ((getVerifyRangeMethod = VerificationServiceGrpc.getVerifyRangeMethod) == null) {
      synchronized (VerificationServiceGrpc.class) {
        if ((getVerifyRangeMethod = VerificationServiceGrpc.getVerifyRangeMethod) == null) {
          VerificationServiceGrpc.getVerifyRangeMethod = getVerifyRangeMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.VerifyRangeRequest, com.hyrelog.api.v1.VerifyRangeResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "VerifyRange"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.VerifyRangeRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.VerifyRangeResponse.getDefaultInstance()))
              .setSchemaDescriptor(new VerificationServiceMethodDescriptorSupplier("VerifyRange"))
              .build();
        }
      }
    }
    return getVerifyRangeMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static VerificationServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<VerificationServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<VerificationServiceStub>() {
        @java.lang.Override
        public VerificationServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new VerificationServiceStub(channel, callOptions);
        }
      };
    return VerificationServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static VerificationServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<VerificationServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<VerificationServiceBlockingStub>() {
        @java.lang.Override
        public VerificationServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new VerificationServiceBlockingStub(channel, callOptions);
        }
      };
    return VerificationServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static VerificationServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<VerificationServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<VerificationServiceFutureStub>() {
        @java.lang.Override
        public VerificationServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new VerificationServiceFutureStub(channel, callOptions);
        }
      };
    return VerificationServiceFutureStub.newStub(factory, channel);
  }

  /**
   */
  public static abstract class VerificationServiceImplBase implements io.grpc.BindableService {

    /**
     * <pre>
     * The newest signed checkpoint of a log (a workspace, or the company's own log).
     * </pre>
     */
    public void getLatestCheckpoint(com.hyrelog.api.v1.GetLatestCheckpointRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetLatestCheckpointResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetLatestCheckpointMethod(), responseObserver);
    }

    /**
     * <pre>
     * Checkpoints of a log, oldest first, from a tree size on.
     * </pre>
     */
    public void listCheckpoints(com.hyrelog.api.v1.ListCheckpointsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListCheckpointsResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListCheckpointsMethod(), responseObserver);
    }

    /**
     * <pre>
     * The public keys that sign checkpoints, with their validity periods.
     * </pre>
     */
    public void listSigningKeys(com.hyrelog.api.v1.ListSigningKeysRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListSigningKeysResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListSigningKeysMethod(), responseObserver);
    }

    /**
     * <pre>
     * Proof that an event is leaf `sequence - 1` of the tree of a given size.
     * </pre>
     */
    public void getInclusionProof(com.hyrelog.api.v1.GetInclusionProofRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetInclusionProofResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetInclusionProofMethod(), responseObserver);
    }

    /**
     * <pre>
     * Proof that the tree of size `from` is a prefix of the tree of size `to`.
     * </pre>
     */
    public void getConsistencyProof(com.hyrelog.api.v1.GetConsistencyProofRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetConsistencyProofResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetConsistencyProofMethod(), responseObserver);
    }

    /**
     * <pre>
     * Re-hashes stored events of a range and checks chain, tree and checkpoints.
     * </pre>
     */
    public void verifyRange(com.hyrelog.api.v1.VerifyRangeRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.VerifyRangeResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getVerifyRangeMethod(), responseObserver);
    }

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
          .addMethod(
            getGetLatestCheckpointMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.GetLatestCheckpointRequest,
                com.hyrelog.api.v1.GetLatestCheckpointResponse>(
                  this, METHODID_GET_LATEST_CHECKPOINT)))
          .addMethod(
            getListCheckpointsMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.ListCheckpointsRequest,
                com.hyrelog.api.v1.ListCheckpointsResponse>(
                  this, METHODID_LIST_CHECKPOINTS)))
          .addMethod(
            getListSigningKeysMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.ListSigningKeysRequest,
                com.hyrelog.api.v1.ListSigningKeysResponse>(
                  this, METHODID_LIST_SIGNING_KEYS)))
          .addMethod(
            getGetInclusionProofMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.GetInclusionProofRequest,
                com.hyrelog.api.v1.GetInclusionProofResponse>(
                  this, METHODID_GET_INCLUSION_PROOF)))
          .addMethod(
            getGetConsistencyProofMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.GetConsistencyProofRequest,
                com.hyrelog.api.v1.GetConsistencyProofResponse>(
                  this, METHODID_GET_CONSISTENCY_PROOF)))
          .addMethod(
            getVerifyRangeMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.VerifyRangeRequest,
                com.hyrelog.api.v1.VerifyRangeResponse>(
                  this, METHODID_VERIFY_RANGE)))
          .build();
    }
  }

  /**
   */
  public static final class VerificationServiceStub extends io.grpc.stub.AbstractAsyncStub<VerificationServiceStub> {
    private VerificationServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected VerificationServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new VerificationServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * The newest signed checkpoint of a log (a workspace, or the company's own log).
     * </pre>
     */
    public void getLatestCheckpoint(com.hyrelog.api.v1.GetLatestCheckpointRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetLatestCheckpointResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetLatestCheckpointMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Checkpoints of a log, oldest first, from a tree size on.
     * </pre>
     */
    public void listCheckpoints(com.hyrelog.api.v1.ListCheckpointsRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListCheckpointsResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListCheckpointsMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * The public keys that sign checkpoints, with their validity periods.
     * </pre>
     */
    public void listSigningKeys(com.hyrelog.api.v1.ListSigningKeysRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListSigningKeysResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListSigningKeysMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Proof that an event is leaf `sequence - 1` of the tree of a given size.
     * </pre>
     */
    public void getInclusionProof(com.hyrelog.api.v1.GetInclusionProofRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetInclusionProofResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetInclusionProofMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Proof that the tree of size `from` is a prefix of the tree of size `to`.
     * </pre>
     */
    public void getConsistencyProof(com.hyrelog.api.v1.GetConsistencyProofRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetConsistencyProofResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetConsistencyProofMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Re-hashes stored events of a range and checks chain, tree and checkpoints.
     * </pre>
     */
    public void verifyRange(com.hyrelog.api.v1.VerifyRangeRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.VerifyRangeResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getVerifyRangeMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   */
  public static final class VerificationServiceBlockingStub extends io.grpc.stub.AbstractBlockingStub<VerificationServiceBlockingStub> {
    private VerificationServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected VerificationServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new VerificationServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * The newest signed checkpoint of a log (a workspace, or the company's own log).
     * </pre>
     */
    public com.hyrelog.api.v1.GetLatestCheckpointResponse getLatestCheckpoint(com.hyrelog.api.v1.GetLatestCheckpointRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetLatestCheckpointMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Checkpoints of a log, oldest first, from a tree size on.
     * </pre>
     */
    public com.hyrelog.api.v1.ListCheckpointsResponse listCheckpoints(com.hyrelog.api.v1.ListCheckpointsRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListCheckpointsMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The public keys that sign checkpoints, with their validity periods.
     * </pre>
     */
    public com.hyrelog.api.v1.ListSigningKeysResponse listSigningKeys(com.hyrelog.api.v1.ListSigningKeysRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListSigningKeysMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Proof that an event is leaf `sequence - 1` of the tree of a given size.
     * </pre>
     */
    public com.hyrelog.api.v1.GetInclusionProofResponse getInclusionProof(com.hyrelog.api.v1.GetInclusionProofRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetInclusionProofMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Proof that the tree of size `from` is a prefix of the tree of size `to`.
     * </pre>
     */
    public com.hyrelog.api.v1.GetConsistencyProofResponse getConsistencyProof(com.hyrelog.api.v1.GetConsistencyProofRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetConsistencyProofMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Re-hashes stored events of a range and checks chain, tree and checkpoints.
     * </pre>
     */
    public com.hyrelog.api.v1.VerifyRangeResponse verifyRange(com.hyrelog.api.v1.VerifyRangeRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getVerifyRangeMethod(), getCallOptions(), request);
    }
  }

  /**
   */
  public static final class VerificationServiceFutureStub extends io.grpc.stub.AbstractFutureStub<VerificationServiceFutureStub> {
    private VerificationServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected VerificationServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new VerificationServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * The newest signed checkpoint of a log (a workspace, or the company's own log).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.GetLatestCheckpointResponse> getLatestCheckpoint(
        com.hyrelog.api.v1.GetLatestCheckpointRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetLatestCheckpointMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Checkpoints of a log, oldest first, from a tree size on.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.ListCheckpointsResponse> listCheckpoints(
        com.hyrelog.api.v1.ListCheckpointsRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListCheckpointsMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * The public keys that sign checkpoints, with their validity periods.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.ListSigningKeysResponse> listSigningKeys(
        com.hyrelog.api.v1.ListSigningKeysRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListSigningKeysMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Proof that an event is leaf `sequence - 1` of the tree of a given size.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.GetInclusionProofResponse> getInclusionProof(
        com.hyrelog.api.v1.GetInclusionProofRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetInclusionProofMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Proof that the tree of size `from` is a prefix of the tree of size `to`.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.GetConsistencyProofResponse> getConsistencyProof(
        com.hyrelog.api.v1.GetConsistencyProofRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetConsistencyProofMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Re-hashes stored events of a range and checks chain, tree and checkpoints.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.VerifyRangeResponse> verifyRange(
        com.hyrelog.api.v1.VerifyRangeRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getVerifyRangeMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_GET_LATEST_CHECKPOINT = 0;
  private static final int METHODID_LIST_CHECKPOINTS = 1;
  private static final int METHODID_LIST_SIGNING_KEYS = 2;
  private static final int METHODID_GET_INCLUSION_PROOF = 3;
  private static final int METHODID_GET_CONSISTENCY_PROOF = 4;
  private static final int METHODID_VERIFY_RANGE = 5;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final VerificationServiceImplBase serviceImpl;
    private final int methodId;

    MethodHandlers(VerificationServiceImplBase serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_GET_LATEST_CHECKPOINT:
          serviceImpl.getLatestCheckpoint((com.hyrelog.api.v1.GetLatestCheckpointRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetLatestCheckpointResponse>) responseObserver);
          break;
        case METHODID_LIST_CHECKPOINTS:
          serviceImpl.listCheckpoints((com.hyrelog.api.v1.ListCheckpointsRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListCheckpointsResponse>) responseObserver);
          break;
        case METHODID_LIST_SIGNING_KEYS:
          serviceImpl.listSigningKeys((com.hyrelog.api.v1.ListSigningKeysRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListSigningKeysResponse>) responseObserver);
          break;
        case METHODID_GET_INCLUSION_PROOF:
          serviceImpl.getInclusionProof((com.hyrelog.api.v1.GetInclusionProofRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetInclusionProofResponse>) responseObserver);
          break;
        case METHODID_GET_CONSISTENCY_PROOF:
          serviceImpl.getConsistencyProof((com.hyrelog.api.v1.GetConsistencyProofRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetConsistencyProofResponse>) responseObserver);
          break;
        case METHODID_VERIFY_RANGE:
          serviceImpl.verifyRange((com.hyrelog.api.v1.VerifyRangeRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.VerifyRangeResponse>) responseObserver);
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

  private static abstract class VerificationServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    VerificationServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return com.hyrelog.api.v1.VerificationProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("VerificationService");
    }
  }

  private static final class VerificationServiceFileDescriptorSupplier
      extends VerificationServiceBaseDescriptorSupplier {
    VerificationServiceFileDescriptorSupplier() {}
  }

  private static final class VerificationServiceMethodDescriptorSupplier
      extends VerificationServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final String methodName;

    VerificationServiceMethodDescriptorSupplier(String methodName) {
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
      synchronized (VerificationServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new VerificationServiceFileDescriptorSupplier())
              .addMethod(getGetLatestCheckpointMethod())
              .addMethod(getListCheckpointsMethod())
              .addMethod(getListSigningKeysMethod())
              .addMethod(getGetInclusionProofMethod())
              .addMethod(getGetConsistencyProofMethod())
              .addMethod(getVerifyRangeMethod())
              .build();
        }
      }
    }
    return result;
  }
}
