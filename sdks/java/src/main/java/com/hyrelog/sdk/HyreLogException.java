package com.hyrelog.sdk;

import com.google.protobuf.CodedInputStream;
import com.hyrelog.common.v1.BadRequest;
import com.hyrelog.common.v1.FieldViolation;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A call that failed: the gRPC status code and message, and the fields that are wrong when the
 * server rejected an invalid request (INVALID_ARGUMENT).
 */
public final class HyreLogException extends RuntimeException {
  private static final Metadata.Key<byte[]> STATUS_DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private final Status.Code code;
  private final List<FieldViolation> violations;

  public HyreLogException(Status.Code code, String message, List<FieldViolation> violations, Throwable cause) {
    super(code + ": " + message, cause);
    this.code = code;
    this.violations = List.copyOf(violations);
  }

  public Status.Code code() {
    return code;
  }

  public List<FieldViolation> violations() {
    return violations;
  }

  static HyreLogException from(StatusRuntimeException e) {
    Metadata trailers = e.getTrailers();
    byte[] details = trailers == null ? null : trailers.get(STATUS_DETAILS);
    String message = e.getStatus().getDescription() == null ? "" : e.getStatus().getDescription();
    return new HyreLogException(e.getStatus().getCode(), message, details == null ? List.of() : violations(details), e);
  }

  /**
   * The violations in a google.rpc.Status: its details (field 3) are Any messages (type_url 1,
   * value 2); those holding a hyrelog.common.v1.BadRequest carry them.
   */
  private static List<FieldViolation> violations(byte[] status) {
    List<FieldViolation> out = new ArrayList<>();
    try {
      CodedInputStream in = CodedInputStream.newInstance(status);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag != (3 << 3 | 2)) {
          in.skipField(tag);
          continue;
        }
        CodedInputStream any = CodedInputStream.newInstance(in.readByteArray());
        String typeUrl = "";
        byte[] value = new byte[0];
        for (int t = any.readTag(); t != 0; t = any.readTag()) {
          if (t == (1 << 3 | 2)) typeUrl = any.readString();
          else if (t == (2 << 3 | 2)) value = any.readByteArray();
          else any.skipField(t);
        }
        if (typeUrl.endsWith("/hyrelog.common.v1.BadRequest")) out.addAll(BadRequest.parseFrom(value).getViolationsList());
      }
    } catch (IOException ignored) {
      // Not a Status we can read: the message still says what is wrong.
    }
    return out;
  }
}
