import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVICES } from "@hyrelog/testing";

/**
 * The service registry (packages/config/src/services.ts) is the one list of services: a service
 * folder it does not name, or a name without its folder, k8s manifest or builder, fails here.
 * (That each service serves exactly the gRPC services listed is checked at every process start.)
 */
const root = path.resolve(import.meta.dirname, "../..");
const names = SERVICES.map((s) => s.name as string);

describe("the service registry", () => {
  it("names every folder under services/, and nothing else", () => {
    const folders = readdirSync(path.join(root, "services"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name);
    expect([...folders].sort()).toEqual([...names].sort());
  });

  it("each service's package is @hyrelog/<name>, with a k8s manifest in k8s/base and a builder in apps/server", () => {
    const server = JSON.parse(readFileSync(path.join(root, "apps/server/package.json"), "utf8"));
    const kustomization = readFileSync(path.join(root, "k8s/base/kustomization.yaml"), "utf8");
    for (const name of names) {
      expect(JSON.parse(readFileSync(path.join(root, "services", name, "package.json"), "utf8")).name).toBe(`@hyrelog/${name}`);
      expect(existsSync(path.join(root, "k8s/base", `${name}.yaml`)), `k8s/base/${name}.yaml`).toBe(true);
      expect(kustomization, `k8s/base/kustomization.yaml lists ${name}.yaml`).toContain(`${name}.yaml`);
      expect(server.dependencies[`@hyrelog/${name}`], `apps/server depends on @hyrelog/${name}`).toBe("workspace:*");
    }
  });

  it("lists the region services before the gateway, which calls them", () => {
    expect(names.at(-1)).toBe("gateway");
    expect(SERVICES.filter((s) => !s.regionScoped).map((s) => s.name)).toEqual(["gateway"]);
  });

  it("each listed gRPC service exists in the contracts", () => {
    const protos = readdirSync(path.join(root, "proto/hyrelog"), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".proto"));
    const declared = protos.flatMap((f) => {
      const text = readFileSync(path.join(root, "proto/hyrelog", f), "utf8");
      const pkg = /^package ([\w.]+);/m.exec(text)?.[1];
      return [...text.matchAll(/^service (\w+)/gm)].map((m) => `${pkg}.${m[1]}`);
    });
    for (const s of SERVICES) for (const grpc of s.grpcServices) expect(declared, `${s.name}: ${grpc}`).toContain(grpc);
  });
});
