/**
 * gRPC server reflection (grpc.reflection.v1) for the public API, answered from the descriptors
 * compiled into the generated code: grpcurl, `buf curl --list-methods` and Postman discover the
 * API without a copy of proto/. Connect-ES ships no reflection service, hence this one.
 */
import { createRegistry, toBinary, type DescFile, type DescService } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Code, type ConnectRouter } from "@connectrpc/connect";
import { ServerReflection, type ServerReflectionRequest, type ServerReflectionResponse } from "@hyrelog/proto";

export function reflectionRoutes(services: readonly DescService[]) {
  const files = new Map<string, DescFile>();
  const add = (file: DescFile) => {
    if (files.has(file.proto.name)) return;
    files.set(file.proto.name, file);
    file.dependencies.forEach(add);
  };
  const served = [...services, ServerReflection];
  served.forEach((s) => add(s.file));
  const registry = createRegistry(...files.values());
  const serviceNames = served.map((s) => s.typeName);

  /** A file and everything it imports, each serialized once, the file first. */
  const withImports = (file: DescFile): Uint8Array[] => {
    const seen = new Set<string>();
    const out: Uint8Array[] = [];
    const visit = (f: DescFile) => {
      if (seen.has(f.proto.name)) return;
      seen.add(f.proto.name);
      out.push(toBinary(FileDescriptorProtoSchema, f.proto));
      f.dependencies.forEach(visit);
    };
    visit(file);
    return out;
  };

  /** The file defining a type, service or method (`pkg.Service.Method`). */
  const fileOfSymbol = (symbol: string): DescFile | undefined => {
    const found = registry.get(symbol) ?? registry.get(symbol.slice(0, symbol.lastIndexOf(".")));
    return found && "file" in found ? found.file : undefined;
  };

  const answer = (req: ServerReflectionRequest): ServerReflectionResponse["messageResponse"] => {
    const r = req.messageRequest;
    const notFound = (what: string) => ({ case: "errorResponse" as const, value: { $typeName: "grpc.reflection.v1.ErrorResponse" as const, errorCode: Code.NotFound, errorMessage: `${what} not found` } });
    const descriptors = (file: DescFile | undefined, what: string) =>
      file ? { case: "fileDescriptorResponse" as const, value: { $typeName: "grpc.reflection.v1.FileDescriptorResponse" as const, fileDescriptorProto: withImports(file) } } : notFound(what);
    switch (r.case) {
      case "listServices":
        return {
          case: "listServicesResponse",
          value: { $typeName: "grpc.reflection.v1.ListServiceResponse", service: serviceNames.map((name) => ({ $typeName: "grpc.reflection.v1.ServiceResponse", name })) },
        };
      case "fileByFilename":
        return descriptors(files.get(r.value), `file ${r.value}`);
      case "fileContainingSymbol":
        return descriptors(fileOfSymbol(r.value), `symbol ${r.value}`);
      case "fileContainingExtension":
        return notFound(`extension ${r.value.extensionNumber} of ${r.value.containingType}`);
      case "allExtensionNumbersOfType":
        return notFound(`extensions of ${r.value}`);
      default:
        return { case: "errorResponse", value: { $typeName: "grpc.reflection.v1.ErrorResponse", errorCode: Code.InvalidArgument, errorMessage: "empty reflection request" } };
    }
  };

  return (router: ConnectRouter) => {
    router.service(ServerReflection, {
      async *serverReflectionInfo(requests) {
        for await (const req of requests) {
          yield { validHost: req.host, originalRequest: req, messageResponse: answer(req) };
        }
      },
    });
  };
}
