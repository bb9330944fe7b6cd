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

  it('names the variable that is wrong', () => {
    process.env.ROOT_DOMAIN = 'https://connect.mass.gov/';
    expect(() => getEnv()).toThrow(/ROOT_DOMAIN/);
  });
});
