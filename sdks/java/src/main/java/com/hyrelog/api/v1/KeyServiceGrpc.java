package com.hyrelog.api.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Key management: a company key whose IP allowlist includes the caller's address creates,
 * rotates, revokes and lists keys (limited per key, as on REST); any key reads its own status.
 * </pre>
 */
@javax.annotation.Generated(
    value = "by gRPC proto compiler",
    comments = "Source: hyrelog/api/v1/keys.proto")
@io.grpc.stub.annotations.GrpcGenerated
public final class KeyServiceGrpc {

  private KeyServiceGrpc() {}

  public static final String SERVICE_NAME = "hyrelog.api.v1.KeyService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateWorkspaceKeyRequest,
      com.hyrelog.api.v1.CreateWorkspaceKeyResponse> getCreateWorkspaceKeyMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateWorkspaceKey",
      requestType = com.hyrelog.api.v1.CreateWorkspaceKeyRequest.class,
      responseType = com.hyrelog.api.v1.CreateWorkspaceKeyResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateWorkspaceKeyRequest,
      com.hyrelog.api.v1.CreateWorkspaceKeyResponse> getCreateWorkspaceKeyMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateWorkspaceKeyRequest, com.hyrelog.api.v1.CreateWorkspaceKeyResponse> getCreateWorkspaceKeyMethod;
    if ((getCreateWorkspaceKeyMethod = KeyServiceGrpc.getCreateWorkspaceKeyMethod) == null) {
      synchronized (KeyServiceGrpc.class) {
        if ((getCreateWorkspaceKeyMethod = KeyServiceGrpc.getCreateWorkspaceKeyMethod) == null) {
          KeyServiceGrpc.getCreateWorkspaceKeyMethod = getCreateWorkspaceKeyMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.CreateWorkspaceKeyRequest, com.hyrelog.api.v1.CreateWorkspaceKeyResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateWorkspaceKey"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CreateWorkspaceKeyRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CreateWorkspaceKeyResponse.getDefaultInstance()))
              .setSchemaDescriptor(new KeyServiceMethodDescriptorSupplier("CreateWorkspaceKey"))
              .build();
        }
      }
    }
    return getCreateWorkspaceKeyMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.RotateKeyRequest,
      com.hyrelog.api.v1.RotateKeyResponse> getRotateKeyMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RotateKey",
      requestType = com.hyrelog.api.v1.RotateKeyRequest.class,
      responseType = com.hyrelog.api.v1.RotateKeyResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.RotateKeyRequest,
      com.hyrelog.api.v1.RotateKeyResponse> getRotateKeyMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.RotateKeyRequest, com.hyrelog.api.v1.RotateKeyResponse> getRotateKeyMethod;
    if ((getRotateKeyMethod = KeyServiceGrpc.getRotateKeyMethod) == null) {
      synchronized (KeyServiceGrpc.class) {
        if ((getRotateKeyMethod = KeyServiceGrpc.getRotateKeyMethod) == null) {
          KeyServiceGrpc.getRotateKeyMethod = getRotateKeyMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.RotateKeyRequest, com.hyrelog.api.v1.RotateKeyResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RotateKey"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.RotateKeyRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.RotateKeyResponse.getDefaultInstance()))
              .setSchemaDescriptor(new KeyServiceMethodDescriptorSupplier("RotateKey"))
              .build();
        }
      }
    }
    return getRotateKeyMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.RevokeKeyRequest,
      com.hyrelog.api.v1.RevokeKeyResponse> getRevokeKeyMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RevokeKey",
      requestType = com.hyrelog.api.v1.RevokeKeyRequest.class,
      responseType = com.hyrelog.api.v1.RevokeKeyResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.RevokeKeyRequest,
      com.hyrelog.api.v1.RevokeKeyResponse> getRevokeKeyMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.RevokeKeyRequest, com.hyrelog.api.v1.RevokeKeyResponse> getRevokeKeyMethod;
    if ((getRevokeKeyMethod = KeyServiceGrpc.getRevokeKeyMethod) == null) {
      synchronized (KeyServiceGrpc.class) {
        if ((getRevokeKeyMethod = KeyServiceGrpc.getRevokeKeyMethod) == null) {
          KeyServiceGrpc.getRevokeKeyMethod = getRevokeKeyMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.RevokeKeyRequest, com.hyrelog.api.v1.RevokeKeyResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RevokeKey"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.RevokeKeyRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.RevokeKeyResponse.getDefaultInstance()))
              .setSchemaDescriptor(new KeyServiceMethodDescriptorSupplier("RevokeKey"))
              .build();
        }
      }
    }
    return getRevokeKeyMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetKeyStatusRequest,
      com.hyrelog.api.v1.GetKeyStatusResponse> getGetKeyStatusMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetKeyStatus",
      requestType = com.hyrelog.api.v1.GetKeyStatusRequest.class,
      responseType = com.hyrelog.api.v1.GetKeyStatusResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetKeyStatusRequest,
      com.hyrelog.api.v1.GetKeyStatusResponse> getGetKeyStatusMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetKeyStatusRequest, com.hyrelog.api.v1.GetKeyStatusResponse> getGetKeyStatusMethod;
    if ((getGetKeyStatusMethod = KeyServiceGrpc.getGetKeyStatusMethod) == null) {
      synchronized (KeyServiceGrpc.class) {
        if ((getGetKeyStatusMethod = KeyServiceGrpc.getGetKeyStatusMethod) == null) {
          KeyServiceGrpc.getGetKeyStatusMethod = getGetKeyStatusMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.GetKeyStatusRequest, com.hyrelog.api.v1.GetKeyStatusResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetKeyStatus"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetKeyStatusRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetKeyStatusResponse.getDefaultInstance()))
              .setSchemaDescriptor(new KeyServiceMethodDescriptorSupplier("GetKeyStatus"))
              .build();
        }
      }
    }
    return getGetKeyStatusMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListCompanyKeysRequest,
      com.hyrelog.api.v1.ListCompanyKeysResponse> getListCompanyKeysMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListCompanyKeys",
      requestType = com.hyrelog.api.v1.ListCompanyKeysRequest.class,
      responseType = com.hyrelog.api.v1.ListCompanyKeysResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListCompanyKeysRequest,
      com.hyrelog.api.v1.ListCompanyKeysResponse> getListCompanyKeysMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListCompanyKeysRequest, com.hyrelog.api.v1.ListCompanyKeysResponse> getListCompanyKeysMethod;
    if ((getListCompanyKeysMethod = KeyServiceGrpc.getListCompanyKeysMethod) == null) {
      synchronized (KeyServiceGrpc.class) {
        if ((getListCompanyKeysMethod = KeyServiceGrpc.getListCompanyKeysMethod) == null) {
          KeyServiceGrpc.getListCompanyKeysMethod = getListCompanyKeysMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.ListCompanyKeysRequest, com.hyrelog.api.v1.ListCompanyKeysResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListCompanyKeys"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListCompanyKeysRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListCompanyKeysResponse.getDefaultInstance()))
              .setSchemaDescriptor(new KeyServiceMethodDescriptorSupplier("ListCompanyKeys"))
              .build();
        }
      }
    }
    return getListCompanyKeysMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static KeyServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<KeyServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<KeyServiceStub>() {
        @java.lang.Override
        public KeyServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new KeyServiceStub(channel, callOptions);
        }
      };
    return KeyServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static KeyServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<KeyServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<KeyServiceBlockingStub>() {
        @java.lang.Override
        public KeyServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new KeyServiceBlockingStub(channel, callOptions);
        }
      };
    return KeyServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static KeyServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<KeyServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<KeyServiceFutureStub>() {
        @java.lang.Override
        public KeyServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new KeyServiceFutureStub(channel, callOptions);
        }
      };
    return KeyServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Key management: a company key whose IP allowlist includes the caller's address creates,
   * rotates, revokes and lists keys (limited per key, as on REST); any key reads its own status.
   * </pre>
   */
  public static abstract class KeyServiceImplBase implements io.grpc.BindableService {

    /**
     * <pre>
     * Creates a workspace key; its plaintext is in the answer once.
     * </pre>
     */
    public void createWorkspaceKey(com.hyrelog.api.v1.CreateWorkspaceKeyRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateWorkspaceKeyResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateWorkspaceKeyMethod(), responseObserver);
    }

    /**
     * <pre>
     * Issues a replacement key; the old one keeps working for the grace period.
     * </pre>
     */
    public void rotateKey(com.hyrelog.api.v1.RotateKeyRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.RotateKeyResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRotateKeyMethod(), responseObserver);
    }

    /**
     * <pre>
     * Revokes a key at once.
     * </pre>
     */
    public void revokeKey(com.hyrelog.api.v1.RevokeKeyRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.RevokeKeyResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRevokeKeyMethod(), responseObserver);
    }

    /**
     * <pre>
     * Reports the calling key.
     * </pre>
     */
    public void getKeyStatus(com.hyrelog.api.v1.GetKeyStatusRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetKeyStatusResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetKeyStatusMethod(), responseObserver);
    }

    /**
     * <pre>
     * The keys of the company (or of one of its workspaces), newest first, a page at a time; never
     * a hash or a secret.
     * </pre>
     */
    public void listCompanyKeys(com.hyrelog.api.v1.ListCompanyKeysRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListCompanyKeysResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListCompanyKeysMethod(), responseObserver);
    }

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
          .addMethod(
            getCreateWorkspaceKeyMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.CreateWorkspaceKeyRequest,
                com.hyrelog.api.v1.CreateWorkspaceKeyResponse>(
                  this, METHODID_CREATE_WORKSPACE_KEY)))
          .addMethod(
            getRotateKeyMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.RotateKeyRequest,
                com.hyrelog.api.v1.RotateKeyResponse>(
                  this, METHODID_ROTATE_KEY)))
          .addMethod(
            getRevokeKeyMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.RevokeKeyRequest,
                com.hyrelog.api.v1.RevokeKeyResponse>(
                  this, METHODID_REVOKE_KEY)))
          .addMethod(
            getGetKeyStatusMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.GetKeyStatusRequest,
                com.hyrelog.api.v1.GetKeyStatusResponse>(
                  this, METHODID_GET_KEY_STATUS)))
          .addMethod(
            getListCompanyKeysMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.ListCompanyKeysRequest,
                com.hyrelog.api.v1.ListCompanyKeysResponse>(
                  this, METHODID_LIST_COMPANY_KEYS)))
          .build();
    }
  }

  /**
   * <pre>
   * Key management: a company key whose IP allowlist includes the caller's address creates,
   * rotates, revokes and lists keys (limited per key, as on REST); any key reads its own status.
   * </pre>
   */
  public static final class KeyServiceStub extends io.grpc.stub.AbstractAsyncStub<KeyServiceStub> {
    private KeyServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected KeyServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new KeyServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a workspace key; its plaintext is in the answer once.
     * </pre>
     */
    public void createWorkspaceKey(com.hyrelog.api.v1.CreateWorkspaceKeyRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateWorkspaceKeyResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateWorkspaceKeyMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Issues a replacement key; the old one keeps working for the grace period.
     * </pre>
     */
    public void rotateKey(com.hyrelog.api.v1.RotateKeyRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.RotateKeyResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRotateKeyMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Revokes a key at once.
     * </pre>
     */
    public void revokeKey(com.hyrelog.api.v1.RevokeKeyRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.RevokeKeyResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRevokeKeyMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Reports the calling key.
     * </pre>
     */
    public void getKeyStatus(com.hyrelog.api.v1.GetKeyStatusRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetKeyStatusResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetKeyStatusMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * The keys of the company (or of one of its workspaces), newest first, a page at a time; never
     * a hash or a secret.
     * </pre>
     */
    public void listCompanyKeys(com.hyrelog.api.v1.ListCompanyKeysRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListCompanyKeysResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListCompanyKeysMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * <pre>
   * Key management: a company key whose IP allowlist includes the caller's address creates,
   * rotates, revokes and lists keys (limited per key, as on REST); any key reads its own status.
   * </pre>
   */
  public static final class KeyServiceBlockingStub extends io.grpc.stub.AbstractBlockingStub<KeyServiceBlockingStub> {
    private KeyServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected KeyServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new KeyServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a workspace key; its plaintext is in the answer once.
     * </pre>
     */
    public com.hyrelog.api.v1.CreateWorkspaceKeyResponse createWorkspaceKey(com.hyrelog.api.v1.CreateWorkspaceKeyRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateWorkspaceKeyMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Issues a replacement key; the old one keeps working for the grace period.
     * </pre>
     */
    public com.hyrelog.api.v1.RotateKeyResponse rotateKey(com.hyrelog.api.v1.RotateKeyRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRotateKeyMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Revokes a key at once.
     * </pre>
     */
    public com.hyrelog.api.v1.RevokeKeyResponse revokeKey(com.hyrelog.api.v1.RevokeKeyRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRevokeKeyMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Reports the calling key.
     * </pre>
     */
    public com.hyrelog.api.v1.GetKeyStatusResponse getKeyStatus(com.hyrelog.api.v1.GetKeyStatusRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetKeyStatusMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The keys of the company (or of one of its workspaces), newest first, a page at a time; never
     * a hash or a secret.
     * </pre>
     */
    public com.hyrelog.api.v1.ListCompanyKeysResponse listCompanyKeys(com.hyrelog.api.v1.ListCompanyKeysRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListCompanyKeysMethod(), getCallOptions(), request);
    }
  }

  /**
   * <pre>
   * Key management: a company key whose IP allowlist includes the caller's address creates,
   * rotates, revokes and lists keys (limited per key, as on REST); any key reads its own status.
   * </pre>
   */
  public static final class KeyServiceFutureStub extends io.grpc.stub.AbstractFutureStub<KeyServiceFutureStub> {
    private KeyServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected KeyServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new KeyServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Creates a workspace key; its plaintext is in the answer once.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.CreateWorkspaceKeyResponse> createWorkspaceKey(
        com.hyrelog.api.v1.CreateWorkspaceKeyRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateWorkspaceKeyMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Issues a replacement key; the old one keeps working for the grace period.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.RotateKeyResponse> rotateKey(
        com.hyrelog.api.v1.RotateKeyRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRotateKeyMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Revokes a key at once.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.RevokeKeyResponse> revokeKey(
        com.hyrelog.api.v1.RevokeKeyRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRevokeKeyMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Reports the calling key.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.GetKeyStatusResponse> getKeyStatus(
        com.hyrelog.api.v1.GetKeyStatusRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetKeyStatusMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * The keys of the company (or of one of its workspaces), newest first, a page at a time; never
     * a hash or a secret.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.ListCompanyKeysResponse> listCompanyKeys(
        com.hyrelog.api.v1.ListCompanyKeysRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListCompanyKeysMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_CREATE_WORKSPACE_KEY = 0;
  private static final int METHODID_ROTATE_KEY = 1;
  private static final int METHODID_REVOKE_KEY = 2;
  private static final int METHODID_GET_KEY_STATUS = 3;
  private static final int METHODID_LIST_COMPANY_KEYS = 4;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final KeyServiceImplBase serviceImpl;
    private final int methodId;

    MethodHandlers(KeyServiceImplBase serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_CREATE_WORKSPACE_KEY:
          serviceImpl.createWorkspaceKey((com.hyrelog.api.v1.CreateWorkspaceKeyRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateWorkspaceKeyResponse>) responseObserver);
          break;
        case METHODID_ROTATE_KEY:
          serviceImpl.rotateKey((com.hyrelog.api.v1.RotateKeyRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.RotateKeyResponse>) responseObserver);
          break;
        case METHODID_REVOKE_KEY:
          serviceImpl.revokeKey((com.hyrelog.api.v1.RevokeKeyRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.RevokeKeyResponse>) responseObserver);
          break;
        case METHODID_GET_KEY_STATUS:
          serviceImpl.getKeyStatus((com.hyrelog.api.v1.GetKeyStatusRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetKeyStatusResponse>) responseObserver);
          break;
        case METHODID_LIST_COMPANY_KEYS:
          serviceImpl.listCompanyKeys((com.hyrelog.api.v1.ListCompanyKeysRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListCompanyKeysResponse>) responseObserver);
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

  private static abstract class KeyServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    KeyServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return com.hyrelog.api.v1.KeysProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("KeyService");
    }
  }

  private static final class KeyServiceFileDescriptorSupplier
      extends KeyServiceBaseDescriptorSupplier {
    KeyServiceFileDescriptorSupplier() {}
  }

  private static final class KeyServiceMethodDescriptorSupplier
      extends KeyServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final String methodName;

    KeyServiceMethodDescriptorSupplier(String methodName) {
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
      synchronized (KeyServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new KeyServiceFileDescriptorSupplier())
              .addMethod(getCreateWorkspaceKeyMethod())
              .addMethod(getRotateKeyMethod())
              .addMethod(getRevokeKeyMethod())
              .addMethod(getGetKeyStatusMethod())
              .addMethod(getListCompanyKeysMethod())
              .build();
        }
      }
    }
    return result;
  }
}
