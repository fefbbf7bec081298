// The dashboard's sign-in form (web/dashboard/login.tsx) rendered in a DOM: labelled fields, the API's
// error shown to the operator, and the CSRF token of a successful sign-in sent with the next change.
import { expect } from 'chai';
import { h } from 'preact';
import { cleanup, fireEvent, render, waitFor } from '@testing-library/preact';
import { fakeApi, useDom } from '../../../helpers/dom.ts';
import { Login, type Me } from '../../../../web/dashboard/login.tsx';
import { api, setCsrfToken } from '../../../../web/shared/api.ts';

function signIn(r: ReturnType<typeof render>, email: string, password: string): void {
  fireEvent.input(r.getByLabelText('Email'), { target: { value: email } });
  fireEvent.input(r.getByLabelText('Password'), { target: { value: password } });
  fireEvent.click(r.getByRole('button', { name: 'Sign in' }));
}

describe('web component: Login', () => {
  useDom();
  afterEach(() => (cleanup(), setCsrfToken('')));

  it('should label both fields for assistive technology and autofill', () => {
    const r = render(h(Login, { onLogin: () => undefined }));
    expect(r.getByLabelText('Email').getAttribute('type')).to.equal('email');
    expect(r.getByLabelText('Email').getAttribute('autocomplete')).to.equal('username');
    expect(r.getByLabelText('Password').getAttribute('type')).to.equal('password');
  });

  it('should show the error of a refused sign-in as an alert and not sign in', async () => {
    // Arrange
    fakeApi({ 'POST /auth/login': { status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'wrong email or password' } } } });
    const signedIn: Me[] = [];
    const r = render(h(Login, { onLogin: (me: Me) => signedIn.push(me) }));
    // Act
    signIn(r, 'ann@example.com', 'not the password');
    // Assert
    await waitFor(() => expect(r.getByRole('alert').textContent).to.equal('wrong email or password'));
    expect(signedIn).to.deep.equal([]);
  });

  it('should pass the operator on and send the CSRF token of the new session with the next change', async () => {
    // Arrange
    const operator = { id: 1, email: 'ann@example.com', role: 'admin' };
    const calls = fakeApi({ 'POST /auth/login': { body: { operator, csrfToken: 'csrf-1' } }, 'POST /alerts/1/ack': { status: 204 } });
    const signedIn: Me[] = [];
    const r = render(h(Login, { onLogin: (me: Me) => signedIn.push(me) }));
    // Act
    signIn(r, 'ann@example.com', 'the right password');
    await waitFor(() => expect(signedIn).to.deep.equal([operator]));
    await api('POST', '/alerts/1/ack', {});
    // Assert
    expect(calls[0]!.body).to.deep.equal({ email: 'ann@example.com', password: 'the right password' });
    expect(calls[1]!.headers['X-CSRF-Token']).to.equal('csrf-1');
  });
});
