/**
 * config/ipRanges.ts: IPv4 ranges as Azure IP rules take them. Only public internet addresses are
 * allowed (Learn "Configure Azure Storage firewalls and virtual networks"; the hub's IP rules say
 * the same), so every reserved block is checked at its first and last address and one past each
 * end; storage refuses /31 and /32 prefixes and takes single addresses instead.
 */
import { cidrIpRules, contains, formatIpv4, formatRange, nonPublicReason, parseIpv4Range, storageIpRules } from "../../config/ipRanges";

const ip = (a: number, b: number, c: number, d: number) => ((a * 256 + b) * 256 + c) * 256 + d;

describe("parseIpv4Range", () => {
  test.each<[string, { start: number; prefix: number }]>([
    ["203.0.113.7", { start: ip(203, 0, 113, 7), prefix: 32 }],
    [" 203.0.113.7 ", { start: ip(203, 0, 113, 7), prefix: 32 }],
    ["203.0.113.0/24", { start: ip(203, 0, 113, 0), prefix: 24 }],
    ["0.0.0.0/0", { start: 0, prefix: 0 }],
    ["255.255.255.255/32", { start: ip(255, 255, 255, 255), prefix: 32 }],
    ["10.0.0.0/8", { start: ip(10, 0, 0, 0), prefix: 8 }],
    ["0.2.3.4", { start: ip(0, 2, 3, 4), prefix: 32 }],
  ])("%s", (text, range) => {
    expect(parseIpv4Range(text)).toEqual(range);
  });

  test.each(["256.0.0.1", "1.2.3.256", "1.2.3.4/33", "1.2.3", "1.2.3.4.5", "1.2.3.4/", "1.2.3.4/024", "01.2.3.4", "1.2.3.04", "a.b.c.d", "203.0.113.1/24", "11.0.0.0/7", "", "1.2.3.4 /24"])(
    "%j is not a range",
    (text) => {
      expect(parseIpv4Range(text)).toBeUndefined();
    },
  );
});

describe("formatting", () => {
  test("addresses and ranges, a /32 as the address alone", () => {
    expect(formatIpv4(ip(203, 0, 113, 7))).toBe("203.0.113.7");
    expect(formatIpv4(0)).toBe("0.0.0.0");
    expect(formatIpv4(ip(255, 255, 255, 255))).toBe("255.255.255.255");
    expect(formatRange({ start: ip(198, 51, 100, 0), prefix: 24 })).toBe("198.51.100.0/24");
    expect(formatRange({ start: ip(198, 51, 100, 9), prefix: 32 })).toBe("198.51.100.9");
  });
});

describe("nonPublicReason", () => {
  const reason = (text: string) => nonPublicReason(parseIpv4Range(text)!);

  test.each<[string, string]>([
    ["0.0.0.0", 'overlaps 0.0.0.0/8, "this network"'],
    ["0.255.255.255", 'overlaps 0.0.0.0/8, "this network"'],
    ["10.0.0.0", "overlaps 10.0.0.0/8, private (RFC 1918)"],
    ["10.255.255.255", "overlaps 10.0.0.0/8, private (RFC 1918)"],
    ["127.0.0.1", "overlaps 127.0.0.0/8, loopback"],
    ["169.254.0.0", "overlaps 169.254.0.0/16, link-local"],
    ["169.254.255.255", "overlaps 169.254.0.0/16, link-local"],
    ["172.16.0.0", "overlaps 172.16.0.0/12, private (RFC 1918)"],
    ["172.31.255.255", "overlaps 172.16.0.0/12, private (RFC 1918)"],
    ["192.168.0.0", "overlaps 192.168.0.0/16, private (RFC 1918)"],
    ["192.168.255.255", "overlaps 192.168.0.0/16, private (RFC 1918)"],
    ["224.0.0.1", "overlaps 224.0.0.0/3, multicast or reserved"],
    ["255.255.255.255", "overlaps 224.0.0.0/3, multicast or reserved"],
    // A public-looking range that reaches into a reserved block is refused too.
    ["8.0.0.0/6", "overlaps 10.0.0.0/8, private (RFC 1918)"],
    ["0.0.0.0/0", 'overlaps 0.0.0.0/8, "this network"'],
  ])("%s: %s", (text, why) => {
    expect(reason(text)).toBe(why);
  });

  test.each(["1.0.0.0", "9.255.255.255", "11.0.0.0", "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0", "223.255.255.255", "203.0.113.0/24"])(
    "%s is public",
    (text) => {
      expect(reason(text)).toBeUndefined();
    },
  );
});

describe("contains", () => {
  const r = (text: string) => parseIpv4Range(text)!;
  test("a range holds itself and its sub-ranges, not its neighbours or a larger range", () => {
    expect(contains(r("203.0.113.0/24"), r("203.0.113.0/24"))).toBe(true);
    expect(contains(r("203.0.113.0/24"), r("203.0.113.0/32"))).toBe(true);
    expect(contains(r("203.0.113.0/24"), r("203.0.113.255"))).toBe(true);
    expect(contains(r("203.0.113.0/24"), r("203.0.114.0"))).toBe(false);
    expect(contains(r("203.0.113.0/24"), r("203.0.112.255"))).toBe(false);
    expect(contains(r("203.0.113.0/25"), r("203.0.113.0/24"))).toBe(false);
  });
});

describe("IP rules", () => {
  test("storage: /31 as its two addresses, /32 as one address, duplicates and unparsable entries dropped", () => {
    expect(storageIpRules(["198.51.100.6/31", "203.0.113.9/32", "203.0.113.0/24", "203.0.113.9", "bad"])).toEqual(["198.51.100.6", "198.51.100.7", "203.0.113.9", "203.0.113.0/24"]);
  });

  test("key vault and AI Services: CIDR, a /32 as the address, duplicates and unparsable entries dropped", () => {
    expect(cidrIpRules(["203.0.113.9/32", "198.51.100.6/31", "203.0.113.9", "bad"])).toEqual(["203.0.113.9", "198.51.100.6/31"]);
  });
});
