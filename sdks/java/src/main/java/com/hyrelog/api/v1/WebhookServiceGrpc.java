package com.hyrelog.api.v1;

import static io.grpc.MethodDescriptor.generateFullMethodName;

/**
 * <pre>
 * Endpoints that receive signed deliveries of audit events and notifications (docs/webhooks.md).
 * A company key whose IP allowlist includes the caller's address, on a plan with webhooks;
 * changes are limited per key, as on REST. Another company's endpoints answer NOT_FOUND.
 * </pre>
 */
@javax.annotation.Generated(
    value = "by gRPC proto compiler",
    comments = "Source: hyrelog/api/v1/webhooks.proto")
@io.grpc.stub.annotations.GrpcGenerated
public final class WebhookServiceGrpc {

  private WebhookServiceGrpc() {}

  public static final String SERVICE_NAME = "hyrelog.api.v1.WebhookService";

  // Static method descriptors that strictly reflect the proto.
  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateWebhookRequest,
      com.hyrelog.api.v1.CreateWebhookResponse> getCreateWebhookMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "CreateWebhook",
      requestType = com.hyrelog.api.v1.CreateWebhookRequest.class,
      responseType = com.hyrelog.api.v1.CreateWebhookResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateWebhookRequest,
      com.hyrelog.api.v1.CreateWebhookResponse> getCreateWebhookMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.CreateWebhookRequest, com.hyrelog.api.v1.CreateWebhookResponse> getCreateWebhookMethod;
    if ((getCreateWebhookMethod = WebhookServiceGrpc.getCreateWebhookMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getCreateWebhookMethod = WebhookServiceGrpc.getCreateWebhookMethod) == null) {
          WebhookServiceGrpc.getCreateWebhookMethod = getCreateWebhookMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.CreateWebhookRequest, com.hyrelog.api.v1.CreateWebhookResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "CreateWebhook"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CreateWebhookRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.CreateWebhookResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("CreateWebhook"))
              .build();
        }
      }
    }
    return getCreateWebhookMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListWebhooksRequest,
      com.hyrelog.api.v1.ListWebhooksResponse> getListWebhooksMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListWebhooks",
      requestType = com.hyrelog.api.v1.ListWebhooksRequest.class,
      responseType = com.hyrelog.api.v1.ListWebhooksResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListWebhooksRequest,
      com.hyrelog.api.v1.ListWebhooksResponse> getListWebhooksMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListWebhooksRequest, com.hyrelog.api.v1.ListWebhooksResponse> getListWebhooksMethod;
    if ((getListWebhooksMethod = WebhookServiceGrpc.getListWebhooksMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getListWebhooksMethod = WebhookServiceGrpc.getListWebhooksMethod) == null) {
          WebhookServiceGrpc.getListWebhooksMethod = getListWebhooksMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.ListWebhooksRequest, com.hyrelog.api.v1.ListWebhooksResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListWebhooks"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListWebhooksRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListWebhooksResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("ListWebhooks"))
              .build();
        }
      }
    }
    return getListWebhooksMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetWebhookRequest,
      com.hyrelog.api.v1.GetWebhookResponse> getGetWebhookMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "GetWebhook",
      requestType = com.hyrelog.api.v1.GetWebhookRequest.class,
      responseType = com.hyrelog.api.v1.GetWebhookResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetWebhookRequest,
      com.hyrelog.api.v1.GetWebhookResponse> getGetWebhookMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.GetWebhookRequest, com.hyrelog.api.v1.GetWebhookResponse> getGetWebhookMethod;
    if ((getGetWebhookMethod = WebhookServiceGrpc.getGetWebhookMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getGetWebhookMethod = WebhookServiceGrpc.getGetWebhookMethod) == null) {
          WebhookServiceGrpc.getGetWebhookMethod = getGetWebhookMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.GetWebhookRequest, com.hyrelog.api.v1.GetWebhookResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "GetWebhook"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetWebhookRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.GetWebhookResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("GetWebhook"))
              .build();
        }
      }
    }
    return getGetWebhookMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.DisableWebhookRequest,
      com.hyrelog.api.v1.DisableWebhookResponse> getDisableWebhookMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DisableWebhook",
      requestType = com.hyrelog.api.v1.DisableWebhookRequest.class,
      responseType = com.hyrelog.api.v1.DisableWebhookResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.DisableWebhookRequest,
      com.hyrelog.api.v1.DisableWebhookResponse> getDisableWebhookMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.DisableWebhookRequest, com.hyrelog.api.v1.DisableWebhookResponse> getDisableWebhookMethod;
    if ((getDisableWebhookMethod = WebhookServiceGrpc.getDisableWebhookMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getDisableWebhookMethod = WebhookServiceGrpc.getDisableWebhookMethod) == null) {
          WebhookServiceGrpc.getDisableWebhookMethod = getDisableWebhookMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.DisableWebhookRequest, com.hyrelog.api.v1.DisableWebhookResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DisableWebhook"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.DisableWebhookRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.DisableWebhookResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("DisableWebhook"))
              .build();
        }
      }
    }
    return getDisableWebhookMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.EnableWebhookRequest,
      com.hyrelog.api.v1.EnableWebhookResponse> getEnableWebhookMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "EnableWebhook",
      requestType = com.hyrelog.api.v1.EnableWebhookRequest.class,
      responseType = com.hyrelog.api.v1.EnableWebhookResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.EnableWebhookRequest,
      com.hyrelog.api.v1.EnableWebhookResponse> getEnableWebhookMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.EnableWebhookRequest, com.hyrelog.api.v1.EnableWebhookResponse> getEnableWebhookMethod;
    if ((getEnableWebhookMethod = WebhookServiceGrpc.getEnableWebhookMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getEnableWebhookMethod = WebhookServiceGrpc.getEnableWebhookMethod) == null) {
          WebhookServiceGrpc.getEnableWebhookMethod = getEnableWebhookMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.EnableWebhookRequest, com.hyrelog.api.v1.EnableWebhookResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "EnableWebhook"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.EnableWebhookRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.EnableWebhookResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("EnableWebhook"))
              .build();
        }
      }
    }
    return getEnableWebhookMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.RotateWebhookSecretRequest,
      com.hyrelog.api.v1.RotateWebhookSecretResponse> getRotateWebhookSecretMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "RotateWebhookSecret",
      requestType = com.hyrelog.api.v1.RotateWebhookSecretRequest.class,
      responseType = com.hyrelog.api.v1.RotateWebhookSecretResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.RotateWebhookSecretRequest,
      com.hyrelog.api.v1.RotateWebhookSecretResponse> getRotateWebhookSecretMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.RotateWebhookSecretRequest, com.hyrelog.api.v1.RotateWebhookSecretResponse> getRotateWebhookSecretMethod;
    if ((getRotateWebhookSecretMethod = WebhookServiceGrpc.getRotateWebhookSecretMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getRotateWebhookSecretMethod = WebhookServiceGrpc.getRotateWebhookSecretMethod) == null) {
          WebhookServiceGrpc.getRotateWebhookSecretMethod = getRotateWebhookSecretMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.RotateWebhookSecretRequest, com.hyrelog.api.v1.RotateWebhookSecretResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "RotateWebhookSecret"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.RotateWebhookSecretRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.RotateWebhookSecretResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("RotateWebhookSecret"))
              .build();
        }
      }
    }
    return getRotateWebhookSecretMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.DeleteWebhookRequest,
      com.hyrelog.api.v1.DeleteWebhookResponse> getDeleteWebhookMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "DeleteWebhook",
      requestType = com.hyrelog.api.v1.DeleteWebhookRequest.class,
      responseType = com.hyrelog.api.v1.DeleteWebhookResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.DeleteWebhookRequest,
      com.hyrelog.api.v1.DeleteWebhookResponse> getDeleteWebhookMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.DeleteWebhookRequest, com.hyrelog.api.v1.DeleteWebhookResponse> getDeleteWebhookMethod;
    if ((getDeleteWebhookMethod = WebhookServiceGrpc.getDeleteWebhookMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getDeleteWebhookMethod = WebhookServiceGrpc.getDeleteWebhookMethod) == null) {
          WebhookServiceGrpc.getDeleteWebhookMethod = getDeleteWebhookMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.DeleteWebhookRequest, com.hyrelog.api.v1.DeleteWebhookResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "DeleteWebhook"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.DeleteWebhookRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.DeleteWebhookResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("DeleteWebhook"))
              .build();
        }
      }
    }
    return getDeleteWebhookMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListDeliveriesRequest,
      com.hyrelog.api.v1.ListDeliveriesResponse> getListDeliveriesMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ListDeliveries",
      requestType = com.hyrelog.api.v1.ListDeliveriesRequest.class,
      responseType = com.hyrelog.api.v1.ListDeliveriesResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListDeliveriesRequest,
      com.hyrelog.api.v1.ListDeliveriesResponse> getListDeliveriesMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.ListDeliveriesRequest, com.hyrelog.api.v1.ListDeliveriesResponse> getListDeliveriesMethod;
    if ((getListDeliveriesMethod = WebhookServiceGrpc.getListDeliveriesMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getListDeliveriesMethod = WebhookServiceGrpc.getListDeliveriesMethod) == null) {
          WebhookServiceGrpc.getListDeliveriesMethod = getListDeliveriesMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.ListDeliveriesRequest, com.hyrelog.api.v1.ListDeliveriesResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ListDeliveries"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListDeliveriesRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ListDeliveriesResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("ListDeliveries"))
              .build();
        }
      }
    }
    return getListDeliveriesMethod;
  }

  private static volatile io.grpc.MethodDescriptor<com.hyrelog.api.v1.ReplayDeliveryRequest,
      com.hyrelog.api.v1.ReplayDeliveryResponse> getReplayDeliveryMethod;

  @io.grpc.stub.annotations.RpcMethod(
      fullMethodName = SERVICE_NAME + '/' + "ReplayDelivery",
      requestType = com.hyrelog.api.v1.ReplayDeliveryRequest.class,
      responseType = com.hyrelog.api.v1.ReplayDeliveryResponse.class,
      methodType = io.grpc.MethodDescriptor.MethodType.UNARY)
  public static io.grpc.MethodDescriptor<com.hyrelog.api.v1.ReplayDeliveryRequest,
      com.hyrelog.api.v1.ReplayDeliveryResponse> getReplayDeliveryMethod() {
    io.grpc.MethodDescriptor<com.hyrelog.api.v1.ReplayDeliveryRequest, com.hyrelog.api.v1.ReplayDeliveryResponse> getReplayDeliveryMethod;
    if ((getReplayDeliveryMethod = WebhookServiceGrpc.getReplayDeliveryMethod) == null) {
      synchronized (WebhookServiceGrpc.class) {
        if ((getReplayDeliveryMethod = WebhookServiceGrpc.getReplayDeliveryMethod) == null) {
          WebhookServiceGrpc.getReplayDeliveryMethod = getReplayDeliveryMethod =
              io.grpc.MethodDescriptor.<com.hyrelog.api.v1.ReplayDeliveryRequest, com.hyrelog.api.v1.ReplayDeliveryResponse>newBuilder()
              .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
              .setFullMethodName(generateFullMethodName(SERVICE_NAME, "ReplayDelivery"))
              .setSampledToLocalTracing(true)
              .setRequestMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ReplayDeliveryRequest.getDefaultInstance()))
              .setResponseMarshaller(io.grpc.protobuf.ProtoUtils.marshaller(
                  com.hyrelog.api.v1.ReplayDeliveryResponse.getDefaultInstance()))
              .setSchemaDescriptor(new WebhookServiceMethodDescriptorSupplier("ReplayDelivery"))
              .build();
        }
      }
    }
    return getReplayDeliveryMethod;
  }

  /**
   * Creates a new async stub that supports all call types for the service
   */
  public static WebhookServiceStub newStub(io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WebhookServiceStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WebhookServiceStub>() {
        @java.lang.Override
        public WebhookServiceStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WebhookServiceStub(channel, callOptions);
        }
      };
    return WebhookServiceStub.newStub(factory, channel);
  }

  /**
   * Creates a new blocking-style stub that supports unary and streaming output calls on the service
   */
  public static WebhookServiceBlockingStub newBlockingStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WebhookServiceBlockingStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WebhookServiceBlockingStub>() {
        @java.lang.Override
        public WebhookServiceBlockingStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WebhookServiceBlockingStub(channel, callOptions);
        }
      };
    return WebhookServiceBlockingStub.newStub(factory, channel);
  }

  /**
   * Creates a new ListenableFuture-style stub that supports unary calls on the service
   */
  public static WebhookServiceFutureStub newFutureStub(
      io.grpc.Channel channel) {
    io.grpc.stub.AbstractStub.StubFactory<WebhookServiceFutureStub> factory =
      new io.grpc.stub.AbstractStub.StubFactory<WebhookServiceFutureStub>() {
        @java.lang.Override
        public WebhookServiceFutureStub newStub(io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
          return new WebhookServiceFutureStub(channel, callOptions);
        }
      };
    return WebhookServiceFutureStub.newStub(factory, channel);
  }

  /**
   * <pre>
   * Endpoints that receive signed deliveries of audit events and notifications (docs/webhooks.md).
   * A company key whose IP allowlist includes the caller's address, on a plan with webhooks;
   * changes are limited per key, as on REST. Another company's endpoints answer NOT_FOUND.
   * </pre>
   */
  public static abstract class WebhookServiceImplBase implements io.grpc.BindableService {

    /**
     * <pre>
     * Registers an endpoint. The URL must be http(s) and resolve to public addresses only.
     * </pre>
     */
    public void createWebhook(com.hyrelog.api.v1.CreateWebhookRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateWebhookResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getCreateWebhookMethod(), responseObserver);
    }

    /**
     * <pre>
     * The endpoints of one workspace (never their secrets).
     * </pre>
     */
    public void listWebhooks(com.hyrelog.api.v1.ListWebhooksRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListWebhooksResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListWebhooksMethod(), responseObserver);
    }

    /**
     * <pre>
     * One endpoint (never its secret).
     * </pre>
     */
    public void getWebhook(com.hyrelog.api.v1.GetWebhookRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetWebhookResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getGetWebhookMethod(), responseObserver);
    }

    /**
     * <pre>
     * Stops deliveries to an endpoint; pending deliveries wait until it is enabled again.
     * </pre>
     */
    public void disableWebhook(com.hyrelog.api.v1.DisableWebhookRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.DisableWebhookResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDisableWebhookMethod(), responseObserver);
    }

    /**
     * <pre>
     * Resumes deliveries (clears the disabled reason and the failure streak).
     * </pre>
     */
    public void enableWebhook(com.hyrelog.api.v1.EnableWebhookRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.EnableWebhookResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getEnableWebhookMethod(), responseObserver);
    }

    /**
     * <pre>
     * Issues a new signing secret; the previous one keeps signing alongside it for 24 hours.
     * </pre>
     */
    public void rotateWebhookSecret(com.hyrelog.api.v1.RotateWebhookSecretRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.RotateWebhookSecretResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getRotateWebhookSecretMethod(), responseObserver);
    }

    /**
     * <pre>
     * Deletes an endpoint and its delivery history.
     * </pre>
     */
    public void deleteWebhook(com.hyrelog.api.v1.DeleteWebhookRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.DeleteWebhookResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getDeleteWebhookMethod(), responseObserver);
    }

    /**
     * <pre>
     * An endpoint's deliveries, newest first, each with all its attempts.
     * </pre>
     */
    public void listDeliveries(com.hyrelog.api.v1.ListDeliveriesRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListDeliveriesResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getListDeliveriesMethod(), responseObserver);
    }

    /**
     * <pre>
     * Sends a delivery again: a new sequence of up to 5 attempts with the same webhook-id.
     * </pre>
     */
    public void replayDelivery(com.hyrelog.api.v1.ReplayDeliveryRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ReplayDeliveryResponse> responseObserver) {
      io.grpc.stub.ServerCalls.asyncUnimplementedUnaryCall(getReplayDeliveryMethod(), responseObserver);
    }

    @java.lang.Override public final io.grpc.ServerServiceDefinition bindService() {
      return io.grpc.ServerServiceDefinition.builder(getServiceDescriptor())
          .addMethod(
            getCreateWebhookMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.CreateWebhookRequest,
                com.hyrelog.api.v1.CreateWebhookResponse>(
                  this, METHODID_CREATE_WEBHOOK)))
          .addMethod(
            getListWebhooksMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.ListWebhooksRequest,
                com.hyrelog.api.v1.ListWebhooksResponse>(
                  this, METHODID_LIST_WEBHOOKS)))
          .addMethod(
            getGetWebhookMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.GetWebhookRequest,
                com.hyrelog.api.v1.GetWebhookResponse>(
                  this, METHODID_GET_WEBHOOK)))
          .addMethod(
            getDisableWebhookMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.DisableWebhookRequest,
                com.hyrelog.api.v1.DisableWebhookResponse>(
                  this, METHODID_DISABLE_WEBHOOK)))
          .addMethod(
            getEnableWebhookMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.EnableWebhookRequest,
                com.hyrelog.api.v1.EnableWebhookResponse>(
                  this, METHODID_ENABLE_WEBHOOK)))
          .addMethod(
            getRotateWebhookSecretMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.RotateWebhookSecretRequest,
                com.hyrelog.api.v1.RotateWebhookSecretResponse>(
                  this, METHODID_ROTATE_WEBHOOK_SECRET)))
          .addMethod(
            getDeleteWebhookMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.DeleteWebhookRequest,
                com.hyrelog.api.v1.DeleteWebhookResponse>(
                  this, METHODID_DELETE_WEBHOOK)))
          .addMethod(
            getListDeliveriesMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.ListDeliveriesRequest,
                com.hyrelog.api.v1.ListDeliveriesResponse>(
                  this, METHODID_LIST_DELIVERIES)))
          .addMethod(
            getReplayDeliveryMethod(),
            io.grpc.stub.ServerCalls.asyncUnaryCall(
              new MethodHandlers<
                com.hyrelog.api.v1.ReplayDeliveryRequest,
                com.hyrelog.api.v1.ReplayDeliveryResponse>(
                  this, METHODID_REPLAY_DELIVERY)))
          .build();
    }
  }

  /**
   * <pre>
   * Endpoints that receive signed deliveries of audit events and notifications (docs/webhooks.md).
   * A company key whose IP allowlist includes the caller's address, on a plan with webhooks;
   * changes are limited per key, as on REST. Another company's endpoints answer NOT_FOUND.
   * </pre>
   */
  public static final class WebhookServiceStub extends io.grpc.stub.AbstractAsyncStub<WebhookServiceStub> {
    private WebhookServiceStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WebhookServiceStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WebhookServiceStub(channel, callOptions);
    }

    /**
     * <pre>
     * Registers an endpoint. The URL must be http(s) and resolve to public addresses only.
     * </pre>
     */
    public void createWebhook(com.hyrelog.api.v1.CreateWebhookRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateWebhookResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getCreateWebhookMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * The endpoints of one workspace (never their secrets).
     * </pre>
     */
    public void listWebhooks(com.hyrelog.api.v1.ListWebhooksRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListWebhooksResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListWebhooksMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * One endpoint (never its secret).
     * </pre>
     */
    public void getWebhook(com.hyrelog.api.v1.GetWebhookRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetWebhookResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getGetWebhookMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Stops deliveries to an endpoint; pending deliveries wait until it is enabled again.
     * </pre>
     */
    public void disableWebhook(com.hyrelog.api.v1.DisableWebhookRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.DisableWebhookResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDisableWebhookMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Resumes deliveries (clears the disabled reason and the failure streak).
     * </pre>
     */
    public void enableWebhook(com.hyrelog.api.v1.EnableWebhookRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.EnableWebhookResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getEnableWebhookMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Issues a new signing secret; the previous one keeps signing alongside it for 24 hours.
     * </pre>
     */
    public void rotateWebhookSecret(com.hyrelog.api.v1.RotateWebhookSecretRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.RotateWebhookSecretResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getRotateWebhookSecretMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Deletes an endpoint and its delivery history.
     * </pre>
     */
    public void deleteWebhook(com.hyrelog.api.v1.DeleteWebhookRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.DeleteWebhookResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getDeleteWebhookMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * An endpoint's deliveries, newest first, each with all its attempts.
     * </pre>
     */
    public void listDeliveries(com.hyrelog.api.v1.ListDeliveriesRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListDeliveriesResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getListDeliveriesMethod(), getCallOptions()), request, responseObserver);
    }

    /**
     * <pre>
     * Sends a delivery again: a new sequence of up to 5 attempts with the same webhook-id.
     * </pre>
     */
    public void replayDelivery(com.hyrelog.api.v1.ReplayDeliveryRequest request,
        io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ReplayDeliveryResponse> responseObserver) {
      io.grpc.stub.ClientCalls.asyncUnaryCall(
          getChannel().newCall(getReplayDeliveryMethod(), getCallOptions()), request, responseObserver);
    }
  }

  /**
   * <pre>
   * Endpoints that receive signed deliveries of audit events and notifications (docs/webhooks.md).
   * A company key whose IP allowlist includes the caller's address, on a plan with webhooks;
   * changes are limited per key, as on REST. Another company's endpoints answer NOT_FOUND.
   * </pre>
   */
  public static final class WebhookServiceBlockingStub extends io.grpc.stub.AbstractBlockingStub<WebhookServiceBlockingStub> {
    private WebhookServiceBlockingStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WebhookServiceBlockingStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WebhookServiceBlockingStub(channel, callOptions);
    }

    /**
     * <pre>
     * Registers an endpoint. The URL must be http(s) and resolve to public addresses only.
     * </pre>
     */
    public com.hyrelog.api.v1.CreateWebhookResponse createWebhook(com.hyrelog.api.v1.CreateWebhookRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getCreateWebhookMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * The endpoints of one workspace (never their secrets).
     * </pre>
     */
    public com.hyrelog.api.v1.ListWebhooksResponse listWebhooks(com.hyrelog.api.v1.ListWebhooksRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListWebhooksMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * One endpoint (never its secret).
     * </pre>
     */
    public com.hyrelog.api.v1.GetWebhookResponse getWebhook(com.hyrelog.api.v1.GetWebhookRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getGetWebhookMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Stops deliveries to an endpoint; pending deliveries wait until it is enabled again.
     * </pre>
     */
    public com.hyrelog.api.v1.DisableWebhookResponse disableWebhook(com.hyrelog.api.v1.DisableWebhookRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDisableWebhookMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Resumes deliveries (clears the disabled reason and the failure streak).
     * </pre>
     */
    public com.hyrelog.api.v1.EnableWebhookResponse enableWebhook(com.hyrelog.api.v1.EnableWebhookRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getEnableWebhookMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Issues a new signing secret; the previous one keeps signing alongside it for 24 hours.
     * </pre>
     */
    public com.hyrelog.api.v1.RotateWebhookSecretResponse rotateWebhookSecret(com.hyrelog.api.v1.RotateWebhookSecretRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getRotateWebhookSecretMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Deletes an endpoint and its delivery history.
     * </pre>
     */
    public com.hyrelog.api.v1.DeleteWebhookResponse deleteWebhook(com.hyrelog.api.v1.DeleteWebhookRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getDeleteWebhookMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * An endpoint's deliveries, newest first, each with all its attempts.
     * </pre>
     */
    public com.hyrelog.api.v1.ListDeliveriesResponse listDeliveries(com.hyrelog.api.v1.ListDeliveriesRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getListDeliveriesMethod(), getCallOptions(), request);
    }

    /**
     * <pre>
     * Sends a delivery again: a new sequence of up to 5 attempts with the same webhook-id.
     * </pre>
     */
    public com.hyrelog.api.v1.ReplayDeliveryResponse replayDelivery(com.hyrelog.api.v1.ReplayDeliveryRequest request) {
      return io.grpc.stub.ClientCalls.blockingUnaryCall(
          getChannel(), getReplayDeliveryMethod(), getCallOptions(), request);
    }
  }

  /**
   * <pre>
   * Endpoints that receive signed deliveries of audit events and notifications (docs/webhooks.md).
   * A company key whose IP allowlist includes the caller's address, on a plan with webhooks;
   * changes are limited per key, as on REST. Another company's endpoints answer NOT_FOUND.
   * </pre>
   */
  public static final class WebhookServiceFutureStub extends io.grpc.stub.AbstractFutureStub<WebhookServiceFutureStub> {
    private WebhookServiceFutureStub(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      super(channel, callOptions);
    }

    @java.lang.Override
    protected WebhookServiceFutureStub build(
        io.grpc.Channel channel, io.grpc.CallOptions callOptions) {
      return new WebhookServiceFutureStub(channel, callOptions);
    }

    /**
     * <pre>
     * Registers an endpoint. The URL must be http(s) and resolve to public addresses only.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.CreateWebhookResponse> createWebhook(
        com.hyrelog.api.v1.CreateWebhookRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getCreateWebhookMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * The endpoints of one workspace (never their secrets).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.ListWebhooksResponse> listWebhooks(
        com.hyrelog.api.v1.ListWebhooksRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListWebhooksMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * One endpoint (never its secret).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.GetWebhookResponse> getWebhook(
        com.hyrelog.api.v1.GetWebhookRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getGetWebhookMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Stops deliveries to an endpoint; pending deliveries wait until it is enabled again.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.DisableWebhookResponse> disableWebhook(
        com.hyrelog.api.v1.DisableWebhookRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDisableWebhookMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Resumes deliveries (clears the disabled reason and the failure streak).
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.EnableWebhookResponse> enableWebhook(
        com.hyrelog.api.v1.EnableWebhookRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getEnableWebhookMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Issues a new signing secret; the previous one keeps signing alongside it for 24 hours.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.RotateWebhookSecretResponse> rotateWebhookSecret(
        com.hyrelog.api.v1.RotateWebhookSecretRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getRotateWebhookSecretMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Deletes an endpoint and its delivery history.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.DeleteWebhookResponse> deleteWebhook(
        com.hyrelog.api.v1.DeleteWebhookRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getDeleteWebhookMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * An endpoint's deliveries, newest first, each with all its attempts.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.ListDeliveriesResponse> listDeliveries(
        com.hyrelog.api.v1.ListDeliveriesRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getListDeliveriesMethod(), getCallOptions()), request);
    }

    /**
     * <pre>
     * Sends a delivery again: a new sequence of up to 5 attempts with the same webhook-id.
     * </pre>
     */
    public com.google.common.util.concurrent.ListenableFuture<com.hyrelog.api.v1.ReplayDeliveryResponse> replayDelivery(
        com.hyrelog.api.v1.ReplayDeliveryRequest request) {
      return io.grpc.stub.ClientCalls.futureUnaryCall(
          getChannel().newCall(getReplayDeliveryMethod(), getCallOptions()), request);
    }
  }

  private static final int METHODID_CREATE_WEBHOOK = 0;
  private static final int METHODID_LIST_WEBHOOKS = 1;
  private static final int METHODID_GET_WEBHOOK = 2;
  private static final int METHODID_DISABLE_WEBHOOK = 3;
  private static final int METHODID_ENABLE_WEBHOOK = 4;
  private static final int METHODID_ROTATE_WEBHOOK_SECRET = 5;
  private static final int METHODID_DELETE_WEBHOOK = 6;
  private static final int METHODID_LIST_DELIVERIES = 7;
  private static final int METHODID_REPLAY_DELIVERY = 8;

  private static final class MethodHandlers<Req, Resp> implements
      io.grpc.stub.ServerCalls.UnaryMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ServerStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.ClientStreamingMethod<Req, Resp>,
      io.grpc.stub.ServerCalls.BidiStreamingMethod<Req, Resp> {
    private final WebhookServiceImplBase serviceImpl;
    private final int methodId;

    MethodHandlers(WebhookServiceImplBase serviceImpl, int methodId) {
      this.serviceImpl = serviceImpl;
      this.methodId = methodId;
    }

    @java.lang.Override
    @java.lang.SuppressWarnings("unchecked")
    public void invoke(Req request, io.grpc.stub.StreamObserver<Resp> responseObserver) {
      switch (methodId) {
        case METHODID_CREATE_WEBHOOK:
          serviceImpl.createWebhook((com.hyrelog.api.v1.CreateWebhookRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.CreateWebhookResponse>) responseObserver);
          break;
        case METHODID_LIST_WEBHOOKS:
          serviceImpl.listWebhooks((com.hyrelog.api.v1.ListWebhooksRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListWebhooksResponse>) responseObserver);
          break;
        case METHODID_GET_WEBHOOK:
          serviceImpl.getWebhook((com.hyrelog.api.v1.GetWebhookRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.GetWebhookResponse>) responseObserver);
          break;
        case METHODID_DISABLE_WEBHOOK:
          serviceImpl.disableWebhook((com.hyrelog.api.v1.DisableWebhookRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.DisableWebhookResponse>) responseObserver);
          break;
        case METHODID_ENABLE_WEBHOOK:
          serviceImpl.enableWebhook((com.hyrelog.api.v1.EnableWebhookRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.EnableWebhookResponse>) responseObserver);
          break;
        case METHODID_ROTATE_WEBHOOK_SECRET:
          serviceImpl.rotateWebhookSecret((com.hyrelog.api.v1.RotateWebhookSecretRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.RotateWebhookSecretResponse>) responseObserver);
          break;
        case METHODID_DELETE_WEBHOOK:
          serviceImpl.deleteWebhook((com.hyrelog.api.v1.DeleteWebhookRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.DeleteWebhookResponse>) responseObserver);
          break;
        case METHODID_LIST_DELIVERIES:
          serviceImpl.listDeliveries((com.hyrelog.api.v1.ListDeliveriesRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ListDeliveriesResponse>) responseObserver);
          break;
        case METHODID_REPLAY_DELIVERY:
          serviceImpl.replayDelivery((com.hyrelog.api.v1.ReplayDeliveryRequest) request,
              (io.grpc.stub.StreamObserver<com.hyrelog.api.v1.ReplayDeliveryResponse>) responseObserver);
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

  private static abstract class WebhookServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoFileDescriptorSupplier, io.grpc.protobuf.ProtoServiceDescriptorSupplier {
    WebhookServiceBaseDescriptorSupplier() {}

    @java.lang.Override
    public com.google.protobuf.Descriptors.FileDescriptor getFileDescriptor() {
      return com.hyrelog.api.v1.WebhooksProto.getDescriptor();
    }

    @java.lang.Override
    public com.google.protobuf.Descriptors.ServiceDescriptor getServiceDescriptor() {
      return getFileDescriptor().findServiceByName("WebhookService");
    }
  }

  private static final class WebhookServiceFileDescriptorSupplier
      extends WebhookServiceBaseDescriptorSupplier {
    WebhookServiceFileDescriptorSupplier() {}
  }

  private static final class WebhookServiceMethodDescriptorSupplier
      extends WebhookServiceBaseDescriptorSupplier
      implements io.grpc.protobuf.ProtoMethodDescriptorSupplier {
    private final String methodName;

    WebhookServiceMethodDescriptorSupplier(String methodName) {
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
      synchronized (WebhookServiceGrpc.class) {
        result = serviceDescriptor;
        if (result == null) {
          serviceDescriptor = result = io.grpc.ServiceDescriptor.newBuilder(SERVICE_NAME)
              .setSchemaDescriptor(new WebhookServiceFileDescriptorSupplier())
              .addMethod(getCreateWebhookMethod())
              .addMethod(getListWebhooksMethod())
              .addMethod(getGetWebhookMethod())
              .addMethod(getDisableWebhookMethod())
              .addMethod(getEnableWebhookMethod())
              .addMethod(getRotateWebhookSecretMethod())
              .addMethod(getDeleteWebhookMethod())
              .addMethod(getListDeliveriesMethod())
              .addMethod(getReplayDeliveryMethod())
              .build();
        }
      }
    }
    return result;
  }
}
