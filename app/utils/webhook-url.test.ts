import { isPrivateAddress, webhookUrlProblem } from './webhook-url';

describe('webhook URLs', () => {
  it.each(['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1'])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', 'example.org'])('%s is not a private address', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('admits https to public hosts, and http or local receivers only with the development setting', () => {
    expect(webhookUrlProblem('https://hooks.example.org/x', false)).toBeNull();
    expect(webhookUrlProblem('http://hooks.example.org/x', false)).toBe('not_https');
    expect(webhookUrlProblem('http://localhost:4000/x', false)).toBe('not_https');
    expect(webhookUrlProblem('http://localhost:4000/x', true)).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:4000/x', true)).toBeNull();
    expect(webhookUrlProblem('http://receiver.test/x', true)).toBeNull();
    expect(webhookUrlProblem('https://localhost/x', false)).toBe('private');
    expect(webhookUrlProblem('https://receiver.test/x', false)).toBe('private');
    expect(webhookUrlProblem('https://[::ffff:10.0.0.1]/x', false)).toBe('private');
    expect(webhookUrlProblem('https://user:pw@hooks.example.org/x', false)).toBe('invalid');
    expect(webhookUrlProblem('ftp://hooks.example.org/x', false)).toBe('invalid');
  });
});
