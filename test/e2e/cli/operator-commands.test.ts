// `cpms operator add|list|disable` (issue 9), run inside the server as its control socket does, and the
// audit log of CLI changes.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';
import { runInServer } from '../../helpers/cli-in-server.ts';

describe('e2e cpms operator commands (inside the running server)', () => {
  const t = useTestApp();

  const inServer = (...args: string[]) => runInServer(t, ...args);

  const login = (email: string, password: string) => t.api('POST', '/api/v1/auth/login', { email, password }, { key: null });

  it('should add an operator with the password given, who can log in at once', async () => {
    const res = await inServer('operator', 'add', 'cli-one@example.com', '--role', 'finance', '--name', 'Cli One', '--password', 'cli one password');

    expect(res.code, res.lines.join('\n')).to.equal(0);
    expect(res.lines).to.have.length(1);
    expect(res.lines[0]).to.match(/^operator \d+ cli-one@example.com \(finance\) added$/);
    const session = await login('cli-one@example.com', 'cli one password');
    expect([session.status, session.body.operator.mustChangePassword, session.body.operator.name]).to.deep.equal([200, false, 'Cli One']);
  });

  it('should print a one-time password when none is given, which must be changed at the first login', async () => {
    const res = await inServer('operator', 'add', 'cli-two@example.com', '--role', 'viewer');

    expect(res.code, res.lines.join('\n')).to.equal(0);
    const oneTime = /one-time password \(shown only this once; to be changed at the first login\): (\S+)$/.exec(res.lines[1])![1];
    const session = await login('cli-two@example.com', oneTime);
    expect([session.status, session.body.operator.mustChangePassword]).to.deep.equal([200, true]);
  });

  it('should list operators and disable one, whose sessions end', async () => {
    await inServer('operator', 'add', 'cli-three@example.com', '--role', 'operator', '--password', 'cli three password');
    const { body } = await login('cli-three@example.com', 'cli three password');

    const disabled = await inServer('operator', 'disable', 'CLI-THREE@example.com');
    const list = await inServer('operator', 'list');

    expect(disabled.code).to.equal(0);
    expect(disabled.lines[0]).to.match(/^operator \d+ cli-three@example.com disabled$/);
    expect(list.lines.find((l) => l.includes('cli-three@example.com'))).to.match(/\toperator\tdisabled\t/);
    expect((await t.api('GET', '/api/v1/auth/me', undefined, { key: body.token })).status).to.equal(401);
  });

  it('should refuse bad input with exit code 2 naming the field, and a duplicate email', async () => {
    const role = await inServer('operator', 'add', 'cli-bad@example.com', '--role', 'root');
    await inServer('operator', 'add', 'cli-dup@example.com', '--role', 'viewer');
    const duplicate = await inServer('operator', 'add', 'CLI-DUP@example.com', '--role', 'viewer');
    const unknown = await inServer('operator', 'disable', 'nobody@example.com');

    expect([role.code, role.lines]).to.deep.equal([2, ['error: role: must be one of admin, operator, viewer, finance']]);
    expect(duplicate.code).to.equal(2);
    expect([unknown.code, unknown.lines]).to.deep.equal([2, ['error: operator nobody@example.com not found']]);
  });

  it('should record a CLI change in the audit log with its arguments, the password redacted', async () => {
    await inServer('operator', 'add', 'cli-audit@example.com', '--role', 'viewer', '--password', 'secret cli password');
    await inServer('operator', 'list');

    const res = await t.api('GET', '/api/v1/audit?entityType=operators&entityId=cli-audit@example.com');

    expect(res.status).to.equal(200);
    expect(res.body.data).to.have.length(1);
    const [entry] = res.body.data;
    expect(entry).to.include({ source: 'cli', actorKind: 'cli', action: 'cli operator add', entityType: 'operators', entityId: 'cli-audit@example.com' });
    expect(entry.request.args).to.deep.equal(['operator', 'add', 'cli-audit@example.com', '--role', 'viewer', '--password', '[redacted]']);
    expect((await t.db('audit_log').where({ action: 'cli operator list' })).length).to.equal(0);
    const everything = JSON.stringify(await t.db('audit_log'));
    expect(everything).to.not.include('secret cli password');
  });
  it('should set a driver\'s password for the driver app, and refuse a short one with exit code 2', async () => {
    const driver = (await t.api('POST', '/api/v1/drivers', { name: 'Cli Driver', email: 'cli-driver@example.com' })).body;

    const set = await inServer('driver', 'password', String(driver.id), '--password', 'cli driver password');
    const short = await inServer('driver', 'password', String(driver.id), '--password', 'short');
    const login = await t.api('POST', '/api/v1/driver/auth/login', { email: 'cli-driver@example.com', password: 'cli driver password' }, { key: null });

    expect([set.code, set.lines]).to.deep.equal([0, [`driver ${driver.id}: password set`]]);
    expect(short.code).to.equal(2);
    expect(login.status).to.equal(200);
  });
});
