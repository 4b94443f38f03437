// Which IP addresses a fetch may connect to: globally reachable unicast ones only. Whoever can post
// a link can make briefbot send a request, so a link must not reach the machine itself, the
// network it sits in, or a cloud metadata service that hands out credentials. The ranges are the
// "not globally reachable" rows of IANA's IPv4 and IPv6 Special-Purpose Address Registries
// (RFC 6890 and its updates), plus multicast, broadcast and reserved space. Also here: resolving
// a host, and connecting to the addresses that were checked and no others.
import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';

export interface ResolvedAddress {
  address: string;
  /** 4 or 6. */
  family: number;
}

type Range = [network: string, prefix: number];

// First match names the refusal, so the specific labels come before the ranges that contain them.
const RANGES: ReadonlyArray<[label: string, ranges: readonly Range[]]> = [
  // AWS, GCP, Azure and OCI answer on 169.254.169.254, AWS also on fd00:ec2::254; Alibaba on
  // 100.100.100.200.
  ['cloud metadata', [['169.254.169.254', 32], ['fd00:ec2::254', 128], ['100.100.100.200', 32]]],
  ['loopback', [['127.0.0.0', 8], ['::1', 128]]],
  // Linux connects 0.0.0.0 and :: to the local machine.
  ['unspecified', [['0.0.0.0', 8], ['::', 128]]],
  ['private', [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['fc00::', 7]]],
  ['carrier-grade NAT', [['100.64.0.0', 10]]],
  ['link-local', [['169.254.0.0', 16], ['fe80::', 10]]],
  ['broadcast', [['255.255.255.255', 32]]],
  ['multicast', [['224.0.0.0', 4], ['ff00::', 8]]],
  [
    'reserved',
    [
      ['192.0.0.0', 24], // IETF protocol assignments
      ['192.0.2.0', 24], ['198.51.100.0', 24], ['203.0.113.0', 24], // documentation
      ['192.88.99.0', 24], // 6to4 relay anycast
      ['198.18.0.0', 15], // benchmarking
      ['240.0.0.0', 4],
      ['::', 96], // IPv4-compatible IPv6, deprecated
      ['64:ff9b:1::', 48], // local-use IPv4/IPv6 translation
      ['100::', 64], // discard-only
      ['2001::', 23], // IETF protocol assignments, Teredo included
      ['2001:db8::', 32], ['3fff::', 20], // documentation
      ['5f00::', 16], // SRv6 segment identifiers
      ['fec0::', 10], // site-local, deprecated
    ],
  ],
];

// BlockList compares an IPv4 address with an IPv6 rule through its IPv4-mapped form (and the other
// way round; node src/node_sockaddr.cc, SocketAddress::is_in_network): a rule covering
// ::ffff:0:0/96 (::/8, say) would block every IPv4 address. None of the rules above does, and
// the IPv4 rules catch ::ffff:10.0.0.1 and friends without a rule of their own.
const LISTS = RANGES.map(([label, ranges]) => {
  const list = new net.BlockList();
  for (const [network, prefix] of ranges) list.addSubnet(network, prefix, net.isIPv6(network) ? 'ipv6' : 'ipv4');
  return { label, list };
});

/**
 * Why `address` must not be fetched ("loopback", "private", "cloud metadata", ...), or undefined
 * for a public unicast address. A string that is not an IP address is refused too.
 */
export function blockedRange(address: string): string | undefined {
  // BlockList answers false for an address with a zone (fe80::1%eth0) rather than failing.
  const bare = address.split('%')[0]!;
  const family = net.isIP(bare);
  if (family === 0) return 'invalid';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  for (const { label, list } of LISTS) if (list.check(bare, type)) return label;
  const embedded = family === 6 ? embeddedIPv4(bare) : undefined;
  return embedded === undefined ? undefined : blockedRange(embedded);
}

/** The IPv4 address a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address reaches, if it is one. */
function embeddedIPv4(address: string): string | undefined {
  const words = ipv6Words(address);
  if (!words) return undefined;
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) return dotted(words[6]!, words[7]!);
  if (words[0] === 0x2002) return dotted(words[1]!, words[2]!);
  return undefined;
}

function dotted(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/** The eight 16-bit words of a valid IPv6 address (with :: and a trailing dotted IPv4 allowed). */
function ipv6Words(address: string): number[] | undefined {
  let text = address;
  const dottedTail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dottedTail) {
    const [a, b, c, d] = dottedTail[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dottedTail.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((w) => parseInt(w, 16)) : []);
  const front = parse(head);
  const back = parse(tail);
  const words = tail === undefined ? front : [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  return words.length === 8 && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffff) ? words : undefined;
}

/** The addresses `host` (brackets already removed) resolves to, or the address itself; gives up when `signal` aborts. */
export async function resolveHost(host: string, signal: AbortSignal, resolve?: (hostname: string) => Promise<ResolvedAddress[]>): Promise<ResolvedAddress[]> {
  const literal = net.isIP(host);
  if (literal) return [{ address: host, family: literal }];
  const found = await abortable((resolve ?? ((name: string) => dns.promises.lookup(name, { all: true })))(host), signal);
  return found.map(({ address }) => ({ address, family: net.isIP(address) }));
}

/** The first of `addresses` that must not be fetched, and why; `treatAsPublic` is for tests. */
export function firstBlocked(addresses: readonly ResolvedAddress[], treatAsPublic: readonly string[] = []): { address: string; range: string } | undefined {
  for (const { address } of addresses) {
    const range = treatAsPublic.includes(address) ? undefined : blockedRange(address);
    if (range !== undefined) return { address, range };
  }
  return undefined;
}

/**
 * A `lookup` for http.request that answers with the checked addresses whatever the name resolves
 * to by now, so a second DNS answer (rebinding) is never connected to. net.connect asks for every
 * address (`all: true`) when autoSelectFamily is on, the default since Node 20, and for one
 * otherwise (lib/net.js, lookupAndConnect).
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [...addresses]);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
