import { BlockList, isIP } from 'node:net';
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * The proxies whose `X-Forwarded-For` is believed: addresses (`10.0.0.5`,
 * `::1`) and subnets (`10.0.0.0/8`). Anything else in that header could
 * have been written by the client itself.
 */
export function trustedProxyList(entries: string[]): BlockList {
  const list = new BlockList();
  const trimmed = entries.map((e) => e.trim()).filter(Boolean);
  if (trimmed.length === 0) noProxies.add(list);
  for (const raw of trimmed) {
    const [address, bits] = raw.split('/');
    const family = isIP(address!) === 6 ? 'ipv6' : isIP(address!) === 4 ? 'ipv4' : null;
    if (!family || (bits !== undefined && !/^\d{1,3}$/.test(bits))) throw new Error(`trusted proxy ${raw}: expected an IP address or subnet`);
    if (bits === undefined) list.addAddress(address!, family);
    else list.addSubnet(address!, Number(bits), family);
  }
  return list;
}

const familyOf = (address: string) => (isIP(address) === 6 ? 'ipv6' : 'ipv4');
/** `::ffff:10.0.0.1` is 10.0.0.1 for matching. */
const plain = (address: string) => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
/** Lists that trust nobody: BlockList.check builds a SocketAddress per call (~0.7 % of a write's CPU), for nothing there. */
const noProxies = new WeakSet<BlockList>();
const trusted = (list: BlockList, address: string) => !noProxies.has(list) && isIP(address) !== 0 && list.check(address, familyOf(address));

/**
 * The address of the client: the socket's peer, unless that peer is a
 * trusted proxy, in which case `X-Forwarded-For` is read from the right,
 * skipping further trusted proxies, to the first address none of them vouches
 * beyond. Without a socket (in-process requests) it is `unknown`.
 */
export function clientAddress(c: Context, proxies: BlockList): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined;
  }
  if (!peer) return 'unknown';
  let address = plain(peer);
  if (!trusted(proxies, address)) return address;
  const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',').map((a) => plain(a.trim())).filter(Boolean);
  while (forwarded.length > 0) {
    const next = forwarded.pop()!;
    if (isIP(next) === 0) break; // garbage: stop at the last address we could vouch for
    address = next;
    if (!trusted(proxies, next)) break;
  }
  return address;
}

/**
 * What the per-address limits count: an IPv4 address as it is, an IPv6 one by
 * its /64 (`2001:db8:1:2::/64`). One IPv6 subscriber is handed a whole /64 and
 * may pick a new source address for every request, so counting single IPv6
 * addresses would let one client write without limit and fill `rate_limits`.
 */
export function limitedAddress(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.split('%')[0]!.split('::');
  const front = head ? head.split(':') : [];
  const back = tail ? tail.split(':') : [];
  const groups = [...front, ...Array(Math.max(0, 8 - front.length - back.length)).fill('0'), ...back];
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
