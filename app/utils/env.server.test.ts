import { getEnv } from './env.server';

describe('getEnv', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('defaults to the embedded demo set-up on localhost', () => {
    delete process.env.DATABASE_URL;
    delete process.env.ROOT_DOMAIN;
    delete process.env.DEMO_MODE;
    const env = getEnv();
    expect(env.ROOT_DOMAIN).toBe('localhost');
    expect(env.DEMO_MODE).toBe(true);
    expect(env.PORT).toBe(3000);
  });

  it('treats a real database as production and secures cookies on a real domain', () => {
    process.env.DATABASE_URL = 'postgres://u@db.example/x';
    process.env.ROOT_DOMAIN = 'connect.mass.gov';
    process.env.NODE_ENV = 'production';
    delete process.env.DEMO_MODE;
    delete process.env.COOKIE_SECURE;
    const env = getEnv();
    expect(env.DEMO_MODE).toBe(false);
    expect(env.COOKIE_SECURE).toBe(true);
  });

  it('secures cookies and links from ROOT_DOMAIN alone, whatever NODE_ENV says', () => {
    process.env.ROOT_DOMAIN = 'connect.mass.gov';
    delete process.env.COOKIE_SECURE;
    for (const nodeEnv of ['development', 'test', 'production']) {
      Object.assign(process.env, { NODE_ENV: nodeEnv });
      expect(getEnv()).toMatchObject({ COOKIE_SECURE: true, PUBLIC_SCHEME: 'https', PUBLIC_PORT: undefined });
    }
    process.env.ROOT_DOMAIN = 'connect.test';
    Object.assign(process.env, { NODE_ENV: 'production' });
    expect(getEnv()).toMatchObject({ COOKIE_SECURE: false, PUBLIC_SCHEME: 'http', PUBLIC_PORT: 3000 });
  });

  it.each([
    ['false', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['10.0.0.5, 10.0.1.0/24', ['10.0.0.5', '10.0.1.0/24']],
  ])('TRUST_PROXY=%j trusts %j', (value, expected) => {
    process.env.TRUST_PROXY = value;
    expect(getEnv().TRUST_PROXY).toEqual(expected);
  });

  it('refuses TRUST_PROXY=true, which would let a client choose its own address', () => {
    process.env.TRUST_PROXY = 'true';
    expect(() => getEnv()).toThrow(/TRUST_PROXY/);
  });

  it('names the variable that is wrong', () => {
    process.env.ROOT_DOMAIN = 'https://connect.mass.gov/';
    expect(() => getEnv()).toThrow(/ROOT_DOMAIN/);
  });
});
