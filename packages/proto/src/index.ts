export * from "./gen/grpc/health/v1/health_pb.js";
export * from "./gen/hyrelog/common/v1/common_pb.js";
export * from "./gen/hyrelog/export/v1/export_pb.js";
export * from "./gen/hyrelog/ingest/v1/ingest_pb.js";
export * from "./gen/hyrelog/jobs/v1/jobs_pb.js";
export * from "./gen/hyrelog/keys/v1/keys_pb.js";
export * from "./gen/hyrelog/query/v1/query_pb.js";
export * from "./gen/hyrelog/verification/v1/verification_pb.js";
