import { checkRequestBody } from './body-limit.server';

describe('checkRequestBody', () => {
  const check = (headers: Record<string, string>, method = 'POST') => checkRequestBody(method, new Headers(headers), 1_000_000);

  it('allows bodies within the limit and requests without a body', () => {
    expect(check({ 'Content-Length': '1000000' }).allowed).toBe(true);
    expect(check({}).allowed).toBe(true);
    expect(check({ 'Content-Length': '5000000' }, 'GET').allowed).toBe(true);
  });

  it('refuses an oversized body with 413 and a readable reason', () => {
    expect(check({ 'Content-Length': '1000001' })).toEqual({
      allowed: false,
      status: 413,
      message: 'Payload Too Large: this form accepts at most 1 MB.',
    });
  });

  it('refuses a chunked body of unknown length with 411', () => {
    expect(check({ 'Transfer-Encoding': 'chunked' })).toMatchObject({ allowed: false, status: 411 });
  });
});
