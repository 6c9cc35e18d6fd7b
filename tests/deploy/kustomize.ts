/**
 * A small stand-in for `kubectl kustomize`, so the deploy test runs on a machine that has only
 * Node and the npm registry. It handles exactly the kustomize features k8s/ uses and throws on
 * anything else:
 *   - resources (files, multi-document, or directories with their own kustomization.yaml)
 *   - namespace
 *   - labels (includeSelectors: false; includeTemplates for Deployment and Job)
 *   - configMapGenerator with literals (behavior create or merge), name hash suffix, and the
 *     name references to it in pod specs
 *   - patches: strategic-merge patches on Deployments, matched by name (path only)
 * When kubectl is on PATH, k8s.test.ts checks that this renders the same objects as the real one.
 */
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parse, parseAllDocuments } from "yaml";

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
};

type Obj = Record<string, unknown>;

const KUSTOMIZATION_FIELDS = new Set(["apiVersion", "kind", "resources", "namespace", "labels", "configMapGenerator", "patches"]);
const KINDS = new Set(["Namespace", "ServiceAccount", "ConfigMap", "Service", "Deployment", "Job"]);
const CLUSTER_SCOPED = new Set(["Namespace"]);
const POD_TEMPLATE_KINDS = new Set(["Deployment", "Job"]);
/** Strategic-merge keys of the lists a Deployment patch may touch; other lists are replaced. */
const MERGE_KEYS: Record<string, string> = {
  containers: "name",
  initContainers: "name",
  env: "name",
  volumes: "name",
  volumeMounts: "mountPath",
};

/** Renders the kustomization in `dir` like `kubectl kustomize dir`, as a list of objects. */
export function render(dir: string): K8sObject[] {
  const generated = new Set<K8sObject>();
  const objects = build(dir, generated);
  const renames = new Map<string, string>();
  for (const cm of generated) {
    const hashed = `${cm.metadata.name}-${configMapHash(cm)}`;
    renames.set(cm.metadata.name, hashed);
    cm.metadata.name = hashed;
  }
  for (const o of objects) {
    const spec = podSpec(o);
    if (spec) renameConfigMapRefs(spec, renames);
  }
  return objects;
}

function build(dir: string, generated: Set<K8sObject>): K8sObject[] {
  const k = parse(readFileSync(path.join(dir, "kustomization.yaml"), "utf8")) as Obj;
  for (const field of Object.keys(k)) {
    if (!KUSTOMIZATION_FIELDS.has(field)) throw new Error(`${dir}: kustomization field "${field}" is not supported here`);
  }

  const objects: K8sObject[] = [];
  for (const res of (k.resources as string[] | undefined) ?? []) {
    const p = path.join(dir, res);
    objects.push(...(statSync(p).isDirectory() ? build(p, generated) : readObjects(p)));
  }

  for (const gen of (k.configMapGenerator as Obj[] | undefined) ?? []) {
    const { name, behavior = "create", literals = [], ...rest } = gen as { name: string; behavior?: string; literals?: string[] };
    if (Object.keys(rest).length) throw new Error(`${dir}: configMapGenerator ${name}: only name, behavior and literals are supported`);
    const data = Object.fromEntries(literals.map(parseLiteral));
    if (behavior === "create") {
      const cm: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data };
      generated.add(cm);
      objects.push(cm);
    } else if (behavior === "merge") {
      const cm = [...generated].find((c) => c.metadata.name === name && objects.includes(c));
      if (!cm) throw new Error(`${dir}: configMapGenerator ${name}: nothing to merge into`);
      cm.data = { ...(cm.data as Obj), ...data };
    } else {
      throw new Error(`${dir}: configMapGenerator behavior "${behavior}" is not supported`);
    }
  }

  for (const patch of (k.patches as Obj[] | undefined) ?? []) {
    if (Object.keys(patch).join() !== "path") throw new Error(`${dir}: only patches with a path are supported`);
    for (const p of readObjects(path.join(dir, patch.path as string))) {
      if (p.kind !== "Deployment") throw new Error(`${dir}: patch on ${p.kind}: only Deployments are supported`);
      const i = objects.findIndex((o) => o.kind === p.kind && o.metadata.name === p.metadata.name);
      if (i < 0) throw new Error(`${dir}: patch target Deployment/${p.metadata.name} not found`);
      objects[i] = strategicMerge(objects[i], p) as K8sObject;
    }
  }

  if (k.namespace) {
    for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace as string;
  }

  for (const entry of (k.labels as Obj[] | undefined) ?? []) {
    const { pairs, includeSelectors = false, includeTemplates = false } = entry as {
      pairs: Record<string, string>;
      includeSelectors?: boolean;
      includeTemplates?: boolean;
    };
    if (includeSelectors) throw new Error(`${dir}: labels with includeSelectors are not supported`);
    for (const o of objects) {
      o.metadata.labels = { ...o.metadata.labels, ...pairs };
      if (includeTemplates && POD_TEMPLATE_KINDS.has(o.kind)) {
        const template = (o.spec as Obj).template as { metadata?: { labels?: Record<string, string> } };
        template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, ...pairs } };
      }
    }
  }
  return objects;
}

function readObjects(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, "utf8"))
    .map((d) => {
      if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
      return d.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null)
    .map((o) => {
      if (!KINDS.has(o.kind)) throw new Error(`${file}: kind ${o.kind} is not supported here`);
      return o;
    });
}

function parseLiteral(literal: string): [string, string] {
  const i = literal.indexOf("=");
  if (i <= 0) throw new Error(`configMapGenerator literal "${literal}" must look like KEY=value`);
  return [literal.slice(0, i), literal.slice(i + 1)];
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function strategicMerge(target: unknown, patch: unknown, field = ""): unknown {
  if (isObj(target) && isObj(patch)) {
    const out: Obj = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith("$")) throw new Error(`patch directive ${key} is not supported`);
      if (value === null) delete out[key];
      else out[key] = key in out ? strategicMerge(out[key], value, key) : value;
    }
    return out;
  }
  const mergeKey = MERGE_KEYS[field];
  if (Array.isArray(target) && Array.isArray(patch) && mergeKey) {
    const out = [...target];
    for (const item of patch as Obj[]) {
      const i = out.findIndex((t) => isObj(t) && t[mergeKey] === item[mergeKey]);
      if (i >= 0) out[i] = strategicMerge(out[i], item);
      else out.push(item);
    }
    return out;
  }
  return patch;
}

/**
 * kustomize's name suffix: sha256 of the Go JSON encoding of {data, kind, name}, its first 10 hex
 * digits with some swapped for letters. kustomize 5 looks the name up as a single field called
 * "metadata/name", finds none and hashes "" (checked against kubectl's kustomize v5.5).
 */
function configMapHash(cm: K8sObject): string {
  const encoded = goJson({ data: cm.data, kind: "ConfigMap", name: "" });
  const hex = createHash("sha256").update(encoded).digest("hex").slice(0, 10);
  const swap: Record<string, string> = { "0": "g", "1": "h", "3": "k", a: "m", e: "t" };
  return hex.replace(/[013ae]/g, (c) => swap[c]!);
}

/** JSON as Go's encoding/json writes it: keys sorted, <, >, &, U+2028 and U+2029 escaped. */
function goJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    isObj(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : Array.isArray(v) ? v.map(sorted) : v;
  return JSON.stringify(sorted(value)).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function podSpec(o: K8sObject): Obj | undefined {
  if (!POD_TEMPLATE_KINDS.has(o.kind)) return undefined;
  return ((o.spec as Obj).template as Obj).spec as Obj;
}

function renameConfigMapRefs(spec: Obj, renames: Map<string, string>): void {
  const rename = (ref: Obj | undefined) => {
    if (ref && typeof ref.name === "string" && renames.has(ref.name)) ref.name = renames.get(ref.name);
  };
  const containers = [...((spec.containers as Obj[]) ?? []), ...((spec.initContainers as Obj[]) ?? [])];
  for (const c of containers) {
    for (const from of (c.envFrom as Obj[] | undefined) ?? []) rename(from.configMapRef as Obj | undefined);
    for (const e of (c.env as Obj[] | undefined) ?? []) rename((e.valueFrom as Obj | undefined)?.configMapKeyRef as Obj | undefined);
  }
  for (const v of (spec.volumes as Obj[] | undefined) ?? []) rename(v.configMap as Obj | undefined);
}
