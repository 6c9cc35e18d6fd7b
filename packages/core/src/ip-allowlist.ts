import { BlockList, isIP } from "node:net";

/** Parses allowlist entries ("203.0.113.7", "10.0.0.0/8", "2001:db8::/32"); returns the bad ones. */
export function invalidAllowlistEntries(entries: string[]): string[] {
  return entries.filter((entry) => {
    const [addr, bits, extra] = entry.split("/");
    const family = isIP(addr ?? "");
    if (!family || extra !== undefined) return true;
    if (bits === undefined) return false;
    const n = Number(bits);
    return !/^\d+$/.test(bits) || n > (family === 4 ? 32 : 128);
  });
}

/** True when `ip` is inside one of the entries. IPv4-mapped IPv6 addresses match IPv4 entries. */
export function allowlistIncludes(entries: string[], ip: string): boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [addr, bits] = entry.split("/");
    const type = isIP(addr!) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(addr!, type);
    else list.addSubnet(addr!, Number(bits), type);
  }
  const plain = ip.startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const type = isIP(plain) === 6 ? "ipv6" : "ipv4";
  return isIP(plain) !== 0 && list.check(plain, type);
}
