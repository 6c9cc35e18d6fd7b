/** The OpenAPI 3.1 document served at /openapi.json. */
export function openApiDocument(version: string): Record<string, unknown> {
  return { openapi: "3.1.0", info: { title: "HyreLog API", version }, paths: {} };
}
