import { checkRequestOrigin } from './csrf.server';

const post = (headers: Record<string, string>, host = 'somerville.localhost:3000') =>
  checkRequestOrigin('POST', new Headers(headers), host);

describe('checkRequestOrigin', () => {
  it('lets reads through without an Origin', () => {
    expect(checkRequestOrigin('GET', new Headers(), 'x.localhost').allowed).toBe(true);
  });

  it('accepts a post from a page on the same host', () => {
    expect(post({ Origin: 'http://somerville.localhost:3000' }).allowed).toBe(true);
  });

  it('refuses a post from another town on the same site', () => {
    const verdict = post({ Origin: 'http://malden.localhost:3000' });
    expect(verdict).toEqual({ allowed: false, reason: 'cross-site request from http://malden.localhost:3000' });
  });

  it('refuses a post from another port of the same host', () => {
    expect(post({ Origin: 'http://somerville.localhost:4000' }).allowed).toBe(false);
  });

  it('falls back to Sec-Fetch-Site and refuses requests that carry neither header', () => {
    expect(post({ 'Sec-Fetch-Site': 'same-origin' }).allowed).toBe(true);
    expect(post({ 'Sec-Fetch-Site': 'same-site' }).allowed).toBe(false);
    expect(post({}).allowed).toBe(false);
    expect(post({ Origin: 'null' }).allowed).toBe(false);
  });
});
