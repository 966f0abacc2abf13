/**
 * Peer address allow-lists of a gateway listener (docs/transports.md "Who may connect"): IP
 * addresses and CIDR blocks (RFC 4632 for IPv4, RFC 4291 §2.3 prefixes for IPv6), matched with
 * node:net `BlockList`. An IPv4-mapped IPv6 peer address (`::ffff:10.0.0.5`, RFC 4291 §2.5.5.2)
 * is matched as the IPv4 address it carries.
 */
import net from 'node:net';
import { SortlineError } from '../../core/errors.js';

/** Loopback only: the default of `sortline serve` when it listens on a loopback address. */
export const LOOPBACK_ALLOW: readonly string[] = ['127.0.0.0/8', '::1'];

/** A compiled allow-list. */
export interface AllowList {
  /** The entries as given. */
  readonly entries: readonly string[];
  /** True when `address` (a peer's IP address as the socket reports it) may connect. */
  allows(address: string | undefined): boolean;
}

/**
 * Compiles `entries` (`"10.0.0.0/8"`, `"192.168.1.20"`, `"fd00::/8"`, `"::1"`).
 * @throws SortlineError `SORTLINE_ERR_TRANSPORT_BAD_OPTION` naming the entry and what was expected.
 */
export function compileAllowList(entries: readonly string[]): AllowList {
  const list = new net.BlockList();
  entries.forEach((entry, i) => {
    const bad = (what: string): SortlineError =>
      new SortlineError(
        'SORTLINE_ERR_TRANSPORT_BAD_OPTION',
        `allow[${i}]: ${JSON.stringify(entry)} ${what}; expected an IP address or a CIDR block such as "10.0.0.0/8" or "fd00::/8"`,
      );
    if (typeof entry !== 'string') throw bad('is not a string');
    const slash = entry.indexOf('/');
    const ip = slash < 0 ? entry : entry.slice(0, slash);
    const family = net.isIP(ip);
    if (family === 0) throw bad('is not an IP address');
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (slash < 0) {
      list.addAddress(ip, type);
      return;
    }
    const bits = entry.slice(slash + 1);
    const max = family === 4 ? 32 : 128;
    if (!/^[0-9]{1,3}$/.test(bits) || Number(bits) > max)
      throw bad(`has prefix length ${JSON.stringify(bits)}, not 0–${max}`);
    list.addSubnet(ip, Number(bits), type);
  });
  return {
    entries: [...entries],
    allows(address) {
      if (address === undefined) return false;
      const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
      const ip = mapped !== null ? mapped[1]! : address;
      const family = net.isIP(ip);
      if (family === 0) return false;
      return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** True when `host` (a listen address or name) is a loopback address. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  return net.isIPv4(h) && h.startsWith('127.');
}
