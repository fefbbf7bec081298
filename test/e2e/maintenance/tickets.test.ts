// Maintenance tickets (issue 9) through the admin API: by hand or from an alert, assignee, status moves,
// append-only notes, list filters, and 4xx for bad input.
import { expect } from 'chai';
import { useTestApp } from '../../helpers/use-test-app.ts';

describe('e2e maintenance tickets', () => {
  const t = useTestApp();
  const cp = () => `CP-T-${Math.random().toString(36).slice(2, 8)}`;

  it('should open a ticket from an alert with the alert\'s charger, connector and message', async () => {
    // Arrange
    const chargePointId = cp();
    const alert = (await t.app.services.alerts.raise({ kind: 'CONNECTOR_FAULT', severity: 'critical', subject: `fault:${chargePointId}:2:GroundFailure`, chargePointId, connectorId: 2, message: 'connector 2 reports GroundFailure' }))!;

    // Act
    const created = await t.api('POST', '/api/v1/tickets', { alertId: alert.id, assignee: 'tech-anna' });
    const byAlert = await t.api('GET', `/api/v1/tickets?alertId=${alert.id}`);

    // Assert
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ title: 'CONNECTOR_FAULT: connector 2 reports GroundFailure', status: 'open', assignee: 'tech-anna', alertId: alert.id, chargePointId, connectorId: 2 });
    expect(created.body.createdBy).to.match(/^apikey:\d+$/);
    expect(byAlert.body.data.map((x: any) => x.id)).to.deep.equal([created.body.id]);
  });

  it('should move a ticket through its statuses with resolved and closed times, keep notes in order, and refuse changes to a closed ticket but a reopen', async () => {
    // Arrange
    const { body: ticket } = await t.api('POST', '/api/v1/tickets', { title: 'replace cable', chargePointId: cp() });

    // Act
    const started = await t.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'in_progress', assignee: 'tech-bo' });
    await t.api('POST', `/api/v1/tickets/${ticket.id}/notes`, { text: 'cable ordered' });
    await t.api('POST', `/api/v1/tickets/${ticket.id}/notes`, { text: 'cable replaced' });
    const resolved = await t.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'resolved' });
    const closed = await t.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'closed' });
    const backToWork = await t.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'in_progress' });
    const reopened = await t.api('PATCH', `/api/v1/tickets/${ticket.id}`, { status: 'open' });
    const full = await t.api('GET', `/api/v1/tickets/${ticket.id}`);

    // Assert
    expect(started.body).to.include({ status: 'in_progress', assignee: 'tech-bo', resolvedAt: null });
    expect(resolved.body.resolvedAt).to.be.a('string');
    expect(closed.body.closedAt).to.be.a('string');
    expect([backToWork.status, backToWork.body.error.code]).to.deep.equal([409, 'CONFLICT']);
    expect(reopened.body).to.include({ status: 'open', resolvedAt: null, closedAt: null });
    expect(full.body.notes.map((n: any) => n.text)).to.deep.equal(['cable ordered', 'cable replaced']);
  });

  it('should filter tickets by status, assignee and charger', async () => {
    const chargePointId = cp();
    const a = (await t.api('POST', '/api/v1/tickets', { title: 'a', chargePointId, assignee: 'x-team' })).body;
    const b = (await t.api('POST', '/api/v1/tickets', { title: 'b', chargePointId })).body;
    await t.api('PATCH', `/api/v1/tickets/${b.id}`, { status: 'resolved' });

    const open = await t.api('GET', `/api/v1/tickets?chargePointId=${chargePointId}&status=open`);
    const assigned = await t.api('GET', '/api/v1/tickets?assignee=x-team');

    expect(open.body.data.map((x: any) => x.id)).to.deep.equal([a.id]);
    expect(assigned.body.data.map((x: any) => x.id)).to.deep.equal([a.id]);
  });

  it('should answer 400 for bad input and 404 for an unknown ticket or alert', async () => {
    const noTitle = await t.api('POST', '/api/v1/tickets', { assignee: 'x' });
    const badStatus = await t.api('GET', '/api/v1/tickets?status=done');
    const unknownAlert = await t.api('POST', '/api/v1/tickets', { alertId: 99999999 });
    const unknown = await t.api('PATCH', '/api/v1/tickets/99999', { status: 'closed' });
    const emptyNote = await t.api('POST', '/api/v1/tickets/99999/notes', { text: '' });
    const noteOfUnknown = await t.api('POST', '/api/v1/tickets/99999/notes', { text: 'x' });

    expect([noTitle.status, badStatus.status, unknownAlert.status, unknown.status, emptyNote.status, noteOfUnknown.status]).to.deep.equal([400, 400, 404, 404, 400, 404]);
  });
});
