/**
 * SSRF policy for webhook URLs: deliveries go only to public internet addresses.
 *
 * A URL is checked twice: when an endpoint is registered ({@link validateWebhookUrl} plus
 * {@link resolveAndCheck}, or both through {@link checkWebhookUrl}), and again at connection time by
 * the delivery's DNS lookup (see deliver.ts), because DNS can change between the two (rebinding).
 *
 * Refused: loopback, private (RFC 1918), CGNAT, link-local, cloud metadata endpoints, multicast,
 * broadcast, unspecified, documentation, benchmarking and other special-purpose ranges, IPv6
 * unique-local and everything outside global unicast (2000::/3); IPv4-mapped (::ffff:a.b.c.d) and
 * NAT64 (64:ff9b::a.b.c.d) addresses are judged by the IPv4 address they embed.
 *
 * `allowLoopback` is the development flag: it permits loopback (127.0.0.0/8, ::1, `localhost`) so a
 * receiver on the developer's machine works; it never permits private, link-local or metadata ranges.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/** Why an address is not public. "invalid" means the text is not an IP address at all. */
export type BlockedAddressClass =
  | "invalid"
  | "unspecified"
  | "loopback"
  | "private"
  | "cgnat"
  | "link-local"
  | "metadata"
  | "multicast"
  | "broadcast"
  | "unique-local"
  | "documentation"
  | "benchmarking"
  | "reserved";

export type AddressClass = "public" | BlockedAddressClass;

type Rule = readonly [BlockedAddressClass, readonly string[]];

/** IPv4 rules, most specific first: the first matching rule names the class. */
const IPV4_RULES: readonly Rule[] = [
  ["broadcast", ["255.255.255.255/32"]],
  // AWS/GCP/Azure/OpenStack/DigitalOcean, AWS ECS task metadata, Oracle Cloud, Alibaba Cloud.
  ["metadata", ["169.254.169.254/32", "169.254.170.2/32", "192.0.0.192/32", "100.100.100.200/32"]],
  ["unspecified", ["0.0.0.0/8"]], // "this network"; Linux connects 0.0.0.0 to the local host
  ["loopback", ["127.0.0.0/8"]],
  ["private", ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]],
  ["cgnat", ["100.64.0.0/10"]],
  ["link-local", ["169.254.0.0/16"]],
  ["documentation", ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"]],
  ["benchmarking", ["198.18.0.0/15"]],
  ["multicast", ["224.0.0.0/4"]],
  // IETF protocol assignments, the deprecated 6to4 relay anycast, and the reserved class E.
  ["reserved", ["192.0.0.0/24", "192.88.99.0/24", "240.0.0.0/4"]],
];

/** IPv6 rules after IPv4-mapped and NAT64 addresses have been unwrapped; most specific first. */
const IPV6_RULES: readonly Rule[] = [
  ["unspecified", ["::/128"]],
  ["loopback", ["::1/128"]],
  ["metadata", ["fd00:ec2::254/128"]], // AWS instance metadata over IPv6
  ["unique-local", ["fc00::/7"]],
  ["link-local", ["fe80::/10"]],
  ["multicast", ["ff00::/8"]],
  ["documentation", ["2001:db8::/32", "3fff::/20"]],
  ["benchmarking", ["2001:2::/48"]],
  // IETF protocol assignments (Teredo, ORCHID, ...) and deprecated 6to4, which tunnel to other networks.
  ["reserved", ["2001::/23", "2002::/16"]],
];

/** Only global unicast is public in IPv6; anything outside it (site-local, discard, ::/96 ...) is reserved. */
const IPV6_GLOBAL_UNICAST = blockList(["2000::/3"], "ipv6");

const IPV4_LISTS = IPV4_RULES.map(([cls, cidrs]) => [cls, blockList(cidrs, "ipv4")] as const);
const IPV6_LISTS = IPV6_RULES.map(([cls, cidrs]) => [cls, blockList(cidrs, "ipv6")] as const);

/**
 * Classifies an IP address (IPv4 dotted quad or IPv6, optionally `[bracketed]` or with a `%zone`):
 * "public", or the reason it must not receive webhooks.
 */
export function classifyAddress(ip: string): AddressClass {
  const address = unbracket(ip).split("%")[0]!;
  const family = isIP(address);
  if (family === 4) return classifyIPv4(address);
  if (family !== 6) return "invalid";

  const embedded = embeddedIPv4(address);
  if (embedded) return classifyIPv4(embedded);
  for (const [cls, list] of IPV6_LISTS) if (list.check(address, "ipv6")) return cls;
  return IPV6_GLOBAL_UNICAST.check(address, "ipv6") ? "public" : "reserved";
}

function classifyIPv4(address: string): AddressClass {
  for (const [cls, list] of IPV4_LISTS) if (list.check(address, "ipv4")) return cls;
  return "public";
}

/**
 * The IPv4 address inside an IPv4-mapped (`::ffff:0:0/96`) or NAT64 well-known-prefix
 * (`64:ff9b::/96`) IPv6 address, in dotted form; null for any other address.
 */
export function embeddedIPv4(ipv6: string): string | null {
  const bytes = ipv6Bytes(unbracket(ipv6).split("%")[0]!);
  if (!bytes) return null;
  const mapped = bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  const nat64 = bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && bytes.subarray(4, 12).every((b) => b === 0);
  return mapped || nat64 ? bytes.subarray(12).join(".") : null;
}

export interface AddressPolicyOptions {
  /** Development flag: permit loopback addresses and `localhost`. Never permits other non-public ranges. */
  allowLoopback?: boolean;
}

/** True when the policy lets a delivery connect to an address of this class. */
export function isAllowedAddressClass(cls: AddressClass, options: AddressPolicyOptions = {}): boolean {
  return cls === "public" || (cls === "loopback" && options.allowLoopback === true);
}

export type WebhookUrlErrorCode = "invalid-url" | "unsupported-scheme" | "credentials" | "blocked-hostname" | "blocked-address" | "unresolvable";

/** A webhook URL the policy refuses; `message` is fit to show the customer who registered it. */
export class WebhookUrlError extends Error {
  override name = "WebhookUrlError";
  readonly code: WebhookUrlErrorCode;
  /** For "blocked-address": the refused address and its class. */
  readonly address: string | undefined;
  readonly addressClass: BlockedAddressClass | undefined;

  constructor(code: WebhookUrlErrorCode, message: string, blocked?: { address: string; addressClass: BlockedAddressClass }) {
    super(message);
    this.code = code;
    this.address = blocked?.address;
    this.addressClass = blocked?.addressClass;
  }
}

const MAX_URL_LENGTH = 2048;

/**
 * Parses and checks a webhook URL without touching the network: http or https only, no user name or
 * password, any port but 0; an IP-literal host is classified now; `localhost` and `*.localhost` are refused
 * unless `allowLoopback`. Host names still need {@link resolveAndCheck}. Throws {@link WebhookUrlError}.
 */
export function validateWebhookUrl(url: string | URL, options: AddressPolicyOptions = {}): URL {
  const text = String(url);
  if (text.length > MAX_URL_LENGTH) throw new WebhookUrlError("invalid-url", `webhook URL is longer than ${MAX_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new WebhookUrlError("invalid-url", "webhook URL is not a valid absolute URL");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new WebhookUrlError("unsupported-scheme", `webhook URL must use http or https, not ${parsed.protocol.slice(0, -1)}`);
  }
  if (parsed.username || parsed.password) {
    throw new WebhookUrlError("credentials", "webhook URL must not contain a user name or password; authenticate with the signature headers");
  }
  // Port 0 is no port a receiver can listen on (connecting to it fails on every platform).
  if (parsed.port === "0") throw new WebhookUrlError("invalid-url", "webhook URL port must be 1-65535");
  const host = unbracket(parsed.hostname);
  if (!host) throw new WebhookUrlError("invalid-url", "webhook URL has no host");
  if (isIP(host)) checkAddress(host, options);
  else checkHostname(host, options);
  return parsed;
}

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses (the shape of `dns.promises.lookup(host, { all: true })`). */
export type HostResolver = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

export interface ResolveOptions extends AddressPolicyOptions {
  /** DNS resolution; default `dns.promises.lookup(hostname, { all: true })`. Tests inject fakes. */
  lookup?: HostResolver;
}

/** The default resolver: the system resolver (getaddrinfo), as connections use it. */
export const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true });

/**
 * Resolves `hostname` and returns all its addresses, refusing (with {@link WebhookUrlError}) when any
 * one of them is not allowed — a name with one public and one private address is refused, since a
 * connection may use either. IP literals are checked without DNS.
 */
export async function resolveAndCheck(hostname: string, options: ResolveOptions = {}): Promise<ResolvedAddress[]> {
  const host = unbracket(hostname);
  if (isIP(host)) {
    checkAddress(host, options);
    return [{ address: host, family: isIP(host) as 4 | 6 }];
  }
  checkHostname(host, options);

  let answers: ReadonlyArray<{ address: string; family: number }>;
  try {
    answers = await (options.lookup ?? systemResolver)(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new WebhookUrlError("unresolvable", `could not resolve webhook host ${host}${code ? ` (${code})` : ""}`);
  }
  if (answers.length === 0) throw new WebhookUrlError("unresolvable", `webhook host ${host} has no addresses`);

  return answers.map(({ address }) => {
    checkAddress(address, options, host);
    return { address, family: isIP(address) as 4 | 6 };
  });
}

/** Registration-time check: {@link validateWebhookUrl}, then {@link resolveAndCheck} of its host. */
export async function checkWebhookUrl(url: string | URL, options: ResolveOptions = {}): Promise<{ url: URL; addresses: ResolvedAddress[] }> {
  const parsed = validateWebhookUrl(url, options);
  return { url: parsed, addresses: await resolveAndCheck(parsed.hostname, options) };
}

function checkAddress(address: string, options: AddressPolicyOptions, hostname?: string): void {
  const cls = classifyAddress(address);
  if (cls === "public" || isAllowedAddressClass(cls, options)) return;
  if (cls === "invalid") throw new WebhookUrlError("unresolvable", `webhook host ${hostname ?? address} resolved to something that is not an IP address`);
  const via = hostname ? `webhook host ${hostname} resolves to ${address}, ` : `webhook address ${address} is `;
  const embedded = embeddedIPv4(address);
  const what = `${via}${embedded ? `an IPv6 form of ${embedded}, ` : ""}${describe(cls)}`;
  throw new WebhookUrlError("blocked-address", `${what}; webhooks are delivered only to public internet addresses`, { address, addressClass: cls });
}

function checkHostname(host: string, options: AddressPolicyOptions): void {
  const name = host.toLowerCase().replace(/\.+$/, "");
  if ((name === "localhost" || name.endsWith(".localhost")) && !options.allowLoopback) {
    throw new WebhookUrlError("blocked-hostname", `webhook host ${host} is the local machine; webhooks are delivered only to public internet addresses`);
  }
}

function describe(cls: BlockedAddressClass): string {
  switch (cls) {
    case "metadata":
      return "a cloud metadata address";
    case "cgnat":
      return "a carrier-grade NAT (shared) address";
    case "unspecified":
      return "the unspecified address";
    case "invalid":
      return "not an IP address";
    default:
      return `a ${cls} address`;
  }
}

function unbracket(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

function blockList(cidrs: readonly string[], type: "ipv4" | "ipv6"): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [network, prefix] = cidr.split("/");
    list.addSubnet(network!, Number(prefix), type);
  }
  return list;
}

/** The 16 bytes of a valid IPv6 address (hex groups, `::`, and a trailing dotted quad); null if not IPv6. */
function ipv6Bytes(address: string): Uint8Array | null {
  if (isIP(address) !== 6) return null;
  let text = address.toLowerCase();
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  if (text.includes(".", lastColon)) {
    const quad = text.slice(lastColon + 1).split(".").map(Number);
    tail.push((quad[0]! << 8) | quad[1]!, (quad[2]! << 8) | quad[3]!);
    text = text.slice(0, lastColon + 1) + "0"; // stand-in group for the dotted quad, dropped below
  }
  const [left, right] = text.split("::") as [string, string | undefined];
  const groups = (part: string | undefined) => (part ? part.split(":").map((g) => parseInt(g, 16)) : []);
  let head = groups(left);
  let rest = groups(right);
  if (tail.length) {
    if (right === undefined) head = head.slice(0, -1);
    else rest = rest.slice(0, -1);
  }
  const fill = 8 - head.length - rest.length - tail.length;
  const all = [...head, ...Array<number>(right === undefined ? 0 : fill).fill(0), ...rest, ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return bytes;
}
