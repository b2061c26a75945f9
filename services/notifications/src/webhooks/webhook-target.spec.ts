import {
  addressAllowed,
  parseTargetUrl,
  RefusedTargetError,
  resolveTarget,
  type Resolve,
} from './webhook-target';

const NONE = { hosts: [], cidrs: [] };
const resolvesTo =
  (...addresses: string[]): Resolve =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('webhook targets (SSRF)', () => {
  it.each([
    '127.0.0.1',
    '127.10.0.5',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('refuses %s', (address) => {
    expect(addressAllowed(address, NONE)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111'])(
    'accepts public %s',
    (address) => {
      expect(addressAllowed(address, NONE)).toBe(true);
    },
  );

  it('lets an allowed network through, and only that one', () => {
    const allow = { hosts: [], cidrs: ['127.0.0.0/8', '10.20.0.0/16'] };
    expect(addressAllowed('127.0.0.1', allow)).toBe(true);
    expect(addressAllowed('10.20.3.4', allow)).toBe(true);
    expect(addressAllowed('10.21.3.4', allow)).toBe(false);
    expect(addressAllowed('169.254.169.254', allow)).toBe(false);
  });

  it('refuses a name when any of its addresses is private, and says which', async () => {
    const url = parseTargetUrl('https://hooks.example.org/in');
    await expect(resolveTarget(url, NONE, resolvesTo('93.184.216.34', '10.0.0.7'))).rejects.toThrow(
      'host hooks.example.org resolves to 10.0.0.7, a loopback, private, link-local, multicast or reserved address',
    );
    await expect(resolveTarget(url, NONE, resolvesTo('93.184.216.34'))).resolves.toEqual([
      { address: '93.184.216.34', family: 4 },
    ]);
  });

  it('refuses literal private addresses, IPv6 in brackets included', async () => {
    await expect(resolveTarget(parseTargetUrl('http://127.0.0.1:8080/'), NONE)).rejects.toThrow(
      RefusedTargetError,
    );
    await expect(resolveTarget(parseTargetUrl('http://[::1]/'), NONE)).rejects.toThrow(RefusedTargetError);
    await expect(resolveTarget(parseTargetUrl('http://[::ffff:169.254.169.254]/'), NONE)).rejects.toThrow(
      RefusedTargetError,
    );
  });

  it('lets an allowed host name through whatever it resolves to', async () => {
    const url = parseTargetUrl('http://receiver.test:9000/hook');
    await expect(
      resolveTarget(url, { hosts: ['receiver.test'], cidrs: [] }, resolvesTo('127.0.0.1')),
    ).resolves.toEqual([{ address: '127.0.0.1', family: 4 }]);
  });

  it('refuses a name that does not resolve, other schemes and credentials in the URL', async () => {
    const failing: Resolve = async () => {
      throw new Error('ENOTFOUND');
    };
    await expect(resolveTarget(parseTargetUrl('https://nowhere.invalid/'), NONE, failing)).rejects.toThrow(
      'host nowhere.invalid does not resolve',
    );
    expect(() => parseTargetUrl('file:///etc/passwd')).toThrow('url must be an absolute http or https URL');
    expect(() => parseTargetUrl('gopher://example.org/')).toThrow(RefusedTargetError);
    expect(() => parseTargetUrl('not a url')).toThrow(RefusedTargetError);
    expect(() => parseTargetUrl('https://user:pw@example.org/')).toThrow('url must not carry credentials');
  });
});
