import { BlockList, isIP } from 'node:net';

/**
 * Where a town may send its events (docs/decisions/0024): https to a public address. Plain http and
 * receivers on this machine or a private network only with the development setting
 * WEBHOOK_LOCAL_RECEIVERS on, so tests and an integrator can use a local receiver; otherwise they are
 * refused whatever NODE_ENV says.
 */
export type WebhookUrlProblem = 'invalid' | 'not_https' | 'private';

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

/** Loopback, private, link-local (cloud metadata), carrier-grade NAT, multicast and reserved ranges. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
    return PRIVATE.check(address, 'ipv6');
  }
  return PRIVATE.check(address, 'ipv4');
}

/** A host that names this machine or a test receiver. */
export function isLocalTestHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.test');
}

/** An IPv6 literal without its URL brackets. */
export const bareHost = (hostname: string) => hostname.replace(/^\[|\]$/g, '');

/** What is wrong with `text` as an endpoint, judged without the network; null when it may be saved. */
export function webhookUrlProblem(text: string, localReceivers: boolean): WebhookUrlProblem | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'invalid';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'invalid';
  if (url.username || url.password) return 'invalid';
  if (localReceivers) return null;
  if (url.protocol === 'http:') return 'not_https';
  if (isLocalTestHost(url.hostname) || isPrivateAddress(bareHost(url.hostname))) return 'private';
  return null;
}
