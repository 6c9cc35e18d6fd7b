import { describe, expect, it } from "vitest";
import { WebhookUrlError, checkWebhookUrl, classifyAddress, embeddedIPv4, resolveAndCheck, validateWebhookUrl, type AddressClass, type HostResolver } from "./ssrf.ts";

/** A resolver answering from a fixed table, as dns.promises.lookup(host, { all: true }) would. */
function fakeResolver(table: Record<string, string[]>): HostResolver {
  return async (hostname) => {
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
}

function refusal(fn: () => unknown): WebhookUrlError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookUrlError);
    return error as WebhookUrlError;
  }
  throw new Error("expected a WebhookUrlError");
}

async function asyncRefusal(promise: Promise<unknown>): Promise<WebhookUrlError> {
  const error = await promise.then(
    () => {
      throw new Error("expected a WebhookUrlError");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookUrlError);
  return error as WebhookUrlError;
}

describe("classifyAddress", () => {
  const cases: Record<Exclude<AddressClass, "invalid">, string[]> = {
    public: ["8.8.8.8", "1.1.1.1", "93.184.216.34", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0", "169.253.255.255", "198.17.255.255", "198.20.0.0", "223.255.255.255", "11.0.0.0", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2001:4860:4860::8888"],
    unspecified: ["0.0.0.0", "0.1.2.3", "0.255.255.255", "::", "::ffff:0.0.0.0"],
    loopback: ["127.0.0.1", "127.255.255.254", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1", "::ffff:7f00:1", "64:ff9b::127.0.0.1"],
    private: ["10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255", "192.168.0.1", "192.168.255.255", "::ffff:10.0.0.1", "::ffff:a00:1", "::FFFF:192.168.1.1", "0:0:0:0:0:ffff:172.16.0.1", "64:ff9b::10.0.0.1", "64:ff9b::c0a8:101"],
    cgnat: ["100.64.0.1", "100.127.255.255", "::ffff:100.64.0.1"],
    "link-local": ["169.254.0.1", "169.254.255.255", "169.254.169.253", "fe80::1", "fe80::1%eth0", "febf:ffff::1", "::ffff:169.254.1.1"],
    metadata: ["169.254.169.254", "::ffff:169.254.169.254", "::ffff:a9fe:a9fe", "64:ff9b::169.254.169.254", "fd00:ec2::254", "169.254.170.2", "192.0.0.192", "100.100.100.200"],
    multicast: ["224.0.0.1", "239.255.255.250", "ff02::1", "ff05::1:3", "::ffff:224.0.0.251"],
    broadcast: ["255.255.255.255", "::ffff:255.255.255.255"],
    "unique-local": ["fc00::1", "fd12:3456:789a::1", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"],
    documentation: ["192.0.2.1", "198.51.100.7", "203.0.113.255", "2001:db8::1", "2001:db8:ffff::1", "3fff::1"],
    benchmarking: ["198.18.0.1", "198.19.255.255", "2001:2::1"],
    reserved: ["192.0.0.1", "192.0.0.255", "240.0.0.1", "255.255.255.254", "192.88.99.1", "::1.2.3.4", "::2", "100::1", "fec0::1", "64:ff9b:1::a00:1", "2001::1", "2001:0:4136:e378::1", "2002:a00:1::1", "::ffff:0:a00:1", "4000::1", "::ffff:240.0.0.1"],
  };

  for (const [expected, addresses] of Object.entries(cases)) {
    it(`classifies ${expected}: ${addresses.join(", ")}`, () => {
      for (const address of addresses) expect([address, classifyAddress(address)]).toEqual([address, expected]);
    });
  }

  it("accepts bracketed IPv6 as it appears in URLs", () => {
    expect(classifyAddress("[::1]")).toBe("loopback");
    expect(classifyAddress("[2606:4700:4700::1111]")).toBe("public");
  });

  it("calls anything that is not an IP address invalid", () => {
    for (const bad of ["", "localhost", "example.com", "1.2.3", "256.0.0.1", "01.2.3.4", "::g", "1.2.3.4/8"]) expect(classifyAddress(bad)).toBe("invalid");
  });

  it("extracts the IPv4 address from IPv4-mapped and NAT64 forms only", () => {
    expect(embeddedIPv4("::ffff:10.1.2.3")).toBe("10.1.2.3");
    expect(embeddedIPv4("::ffff:a01:203")).toBe("10.1.2.3");
    expect(embeddedIPv4("64:ff9b::a01:203")).toBe("10.1.2.3");
    expect(embeddedIPv4("64:ff9b:0:0:0:0:10.1.2.3")).toBe("10.1.2.3");
    expect(embeddedIPv4("[::ffff:7f00:1]")).toBe("127.0.0.1");
    expect(embeddedIPv4("2001:db8::a01:203")).toBeNull();
    expect(embeddedIPv4("::1.2.3.4")).toBeNull();
    expect(embeddedIPv4("10.1.2.3")).toBeNull();
  });
});

describe("validateWebhookUrl", () => {
  it("accepts public http and https URLs on any port and returns the parsed URL", () => {
    const url = validateWebhookUrl("https://hooks.example.com:8443/hyrelog?x=1");
    expect(url).toBeInstanceOf(URL);
    expect(url.port).toBe("8443");
    expect(validateWebhookUrl("http://93.184.216.34/hook").hostname).toBe("93.184.216.34");
    expect(validateWebhookUrl(new URL("https://[2606:4700:4700::1111]/")).hostname).toBe("[2606:4700:4700::1111]");
  });

  it("refuses non-URLs, other schemes and embedded credentials", () => {
    expect(refusal(() => validateWebhookUrl("not a url")).code).toBe("invalid-url");
    expect(refusal(() => validateWebhookUrl("/relative/path")).code).toBe("invalid-url");
    expect(refusal(() => validateWebhookUrl(`https://example.com/${"a".repeat(2100)}`)).code).toBe("invalid-url");
    for (const url of ["ftp://example.com/", "file:///etc/passwd", "gopher://example.com/", "javascript:alert(1)", "ws://example.com/", "data:text/plain,hi"]) {
      expect(refusal(() => validateWebhookUrl(url)).code).toBe("unsupported-scheme");
    }
    expect(refusal(() => validateWebhookUrl("https://user:pass@example.com/")).code).toBe("credentials");
    expect(refusal(() => validateWebhookUrl("https://user@example.com/")).code).toBe("credentials");
  });

  it("classifies IP-literal hosts at once, including the shorthand forms URL parsing normalises", () => {
    for (const url of [
      "http://127.0.0.1/",
      "http://10.0.0.1:8080/",
      "http://169.254.169.254/latest/meta-data/",
      "http://[::1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:169.254.169.254]/",
      "http://[64:ff9b::a9fe:a9fe]/",
      "http://[fd00:ec2::254]/",
      "http://[fe80::1]/",
      "http://0.0.0.0/",
      "http://2130706433/", // 127.0.0.1 as one decimal number
      "http://0x7f.1/", // 127.0.0.1 in hex shorthand
      "http://017700000001/", // 127.0.0.1 in octal
      "http://127.1/",
      "http://100.64.0.1/",
      "http://224.0.0.1/",
    ]) {
      expect([url, refusal(() => validateWebhookUrl(url)).code]).toEqual([url, "blocked-address"]);
    }
  });

  it("explains the refusal, naming the address and its class", () => {
    const error = refusal(() => validateWebhookUrl("http://169.254.169.254/"));
    expect(error.addressClass).toBe("metadata");
    expect(error.address).toBe("169.254.169.254");
    expect(error.message).toMatch(/169\.254\.169\.254 is a cloud metadata address/);
    const mapped = refusal(() => validateWebhookUrl("http://[::ffff:10.0.0.1]/"));
    expect(mapped.addressClass).toBe("private");
    expect(mapped.message).toMatch(/IPv6 form of 10\.0\.0\.1, a private address/);
  });

  it("refuses localhost names unless loopback is allowed", () => {
    for (const url of ["http://localhost/", "http://LOCALHOST:3000/", "http://localhost./", "http://api.localhost/", "http://a.b.localhost:80/"]) {
      expect(refusal(() => validateWebhookUrl(url)).code).toBe("blocked-hostname");
      expect(validateWebhookUrl(url, { allowLoopback: true })).toBeInstanceOf(URL);
    }
    expect(validateWebhookUrl("http://notlocalhost.example/")).toBeInstanceOf(URL);
  });

  it("with allowLoopback permits loopback addresses only, never private or metadata ones", () => {
    for (const url of ["http://127.0.0.1:4000/", "http://[::1]:4000/", "http://127.9.9.9/", "http://[::ffff:127.0.0.1]/"]) {
      expect(validateWebhookUrl(url, { allowLoopback: true })).toBeInstanceOf(URL);
    }
    for (const url of ["http://10.0.0.1/", "http://192.168.1.1/", "http://169.254.169.254/", "http://[fd00:ec2::254]/", "http://0.0.0.0/", "http://[::]/", "http://[fc00::1]/"]) {
      expect(refusal(() => validateWebhookUrl(url, { allowLoopback: true })).code).toBe("blocked-address");
    }
  });
});

describe("resolveAndCheck", () => {
  const lookup = fakeResolver({
    "hooks.example.com": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
    "internal.example.com": ["10.0.0.5"],
    "mixed.example.com": ["93.184.216.34", "192.168.1.10"],
    "metadata.example.com": ["169.254.169.254"],
    "mapped.example.com": ["::ffff:10.0.0.5"],
    "nat64.example.com": ["64:ff9b::a9fe:a9fe"],
    "dev.example.com": ["127.0.0.1", "::1"],
    "devmixed.example.com": ["127.0.0.1", "10.0.0.1"],
    "empty.example.com": [],
    localhost: ["127.0.0.1", "::1"],
  });

  it("returns every address of a public host", async () => {
    expect(await resolveAndCheck("hooks.example.com", { lookup })).toEqual([
      { address: "93.184.216.34", family: 4 },
      { address: "2606:2800:220:1:248:1893:25c8:1946", family: 6 },
    ]);
  });

  it("refuses a host that resolves to a private, metadata, mapped or NAT64 address", async () => {
    const internal = await asyncRefusal(resolveAndCheck("internal.example.com", { lookup }));
    expect(internal.code).toBe("blocked-address");
    expect(internal.message).toMatch(/internal\.example\.com resolves to 10\.0\.0\.5, a private address/);
    expect((await asyncRefusal(resolveAndCheck("metadata.example.com", { lookup }))).addressClass).toBe("metadata");
    expect((await asyncRefusal(resolveAndCheck("mapped.example.com", { lookup }))).addressClass).toBe("private");
    expect((await asyncRefusal(resolveAndCheck("nat64.example.com", { lookup }))).addressClass).toBe("metadata");
  });

  it("refuses when ANY address is not public", async () => {
    const error = await asyncRefusal(resolveAndCheck("mixed.example.com", { lookup }));
    expect(error.address).toBe("192.168.1.10");
  });

  it("allowLoopback permits hosts resolving to loopback only, never mixed with private", async () => {
    expect((await asyncRefusal(resolveAndCheck("dev.example.com", { lookup }))).addressClass).toBe("loopback");
    expect(await resolveAndCheck("dev.example.com", { lookup, allowLoopback: true })).toHaveLength(2);
    expect((await asyncRefusal(resolveAndCheck("devmixed.example.com", { lookup, allowLoopback: true }))).addressClass).toBe("private");
    expect((await asyncRefusal(resolveAndCheck("internal.example.com", { lookup, allowLoopback: true }))).addressClass).toBe("private");
  });

  it("refuses localhost names before resolving them unless loopback is allowed", async () => {
    let calls = 0;
    const counting: HostResolver = async (host) => {
      calls++;
      return lookup(host);
    };
    expect((await asyncRefusal(resolveAndCheck("localhost", { lookup: counting }))).code).toBe("blocked-hostname");
    expect(calls).toBe(0);
    expect(await resolveAndCheck("localhost", { lookup: counting, allowLoopback: true })).toHaveLength(2);
  });

  it("checks IP literals without DNS", async () => {
    const never: HostResolver = async () => {
      throw new Error("must not resolve");
    };
    expect(await resolveAndCheck("93.184.216.34", { lookup: never })).toEqual([{ address: "93.184.216.34", family: 4 }]);
    expect(await resolveAndCheck("[2606:4700:4700::1111]", { lookup: never })).toEqual([{ address: "2606:4700:4700::1111", family: 6 }]);
    expect((await asyncRefusal(resolveAndCheck("10.1.1.1", { lookup: never }))).code).toBe("blocked-address");
    expect(await resolveAndCheck("[::1]", { lookup: never, allowLoopback: true })).toEqual([{ address: "::1", family: 6 }]);
  });

  it("reports unresolvable hosts", async () => {
    const missing = await asyncRefusal(resolveAndCheck("nope.example.com", { lookup }));
    expect(missing.code).toBe("unresolvable");
    expect(missing.message).toMatch(/ENOTFOUND/);
    expect((await asyncRefusal(resolveAndCheck("empty.example.com", { lookup }))).code).toBe("unresolvable");
    const garbage: HostResolver = async () => [{ address: "not-an-ip", family: 4 }];
    expect((await asyncRefusal(resolveAndCheck("garbage.example.com", { lookup: garbage }))).code).toBe("unresolvable");
  });

  it("checkWebhookUrl validates the URL and then resolves its host", async () => {
    const { url, addresses } = await checkWebhookUrl("https://hooks.example.com/in", { lookup });
    expect(url.href).toBe("https://hooks.example.com/in");
    expect(addresses).toHaveLength(2);
    expect((await asyncRefusal(checkWebhookUrl("https://internal.example.com/in", { lookup }))).code).toBe("blocked-address");
    expect((await asyncRefusal(checkWebhookUrl("ftp://hooks.example.com/", { lookup }))).code).toBe("unsupported-scheme");
  });

  it("uses the system resolver by default", async () => {
    // localhost resolves through /etc/hosts without network access.
    const addresses = await resolveAndCheck("localhost", { allowLoopback: true });
    expect(addresses.length).toBeGreaterThan(0);
    expect(addresses.every((a) => a.address === "::1" || a.address.startsWith("127."))).toBe(true);
  });
});
